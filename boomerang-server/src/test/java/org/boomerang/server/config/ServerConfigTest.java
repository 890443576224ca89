package org.boomerang.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.boomerang.common.BoomerangException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsNeedNoFile() {
        ServerConfig d = ServerConfig.defaults();
        assertThat(d.data()).isEqualTo(Path.of("data"));
        assertThat(d.bind()).isEqualTo("127.0.0.1");
        assertThat(d.port()).isEqualTo(8080);
        assertThat(d.databaseUrl()).isEmpty();
        assertThat(d.site()).isEqualTo("primary");
        assertThat(d.node()).isNotBlank();
        assertThat(d.backupEverySeconds()).isEqualTo(3600);
        assertThat(d.backupKeep()).isEqualTo(24);
    }

    @Test
    void everyKeyMapsAndUnsetKeysKeepTheirDefaults() throws Exception {
        Path f = dir.resolve("server.properties");
        Files.writeString(f, "data = /srv/boomerang\nport = 9090\ndatabase.url = jdbc:postgresql://db/b\nsite = dc1\nnode = cs-1\n"
                + "backup.every = 600\nbackup.keep = 3\n");
        ServerConfig c = ServerConfig.load(f);
        assertThat(c).isEqualTo(new ServerConfig(Path.of("/srv/boomerang"), "127.0.0.1", 9090, Optional.of("jdbc:postgresql://db/b"), "dc1", "cs-1", 600, 3));
        assertThat(c.withPort(0).withBind("0.0.0.0").withData(dir).port()).isZero();
    }

    @Test
    void anUnknownKeyOrABadValueFailsTheStartNamingIt() throws Exception {
        Path f = dir.resolve("server.properties");
        Files.writeString(f, "prot = 8080\n");
        assertThatThrownBy(() -> ServerConfig.load(f)).isInstanceOfSatisfying(BoomerangException.class, e -> {
            assertThat(e.code()).isEqualTo(ConfigError.CONFIG_UNKNOWN_KEY);
            assertThat(e.getMessage()).contains("prot");
            assertThat(e.hint()).contains("port");
        });
        Files.writeString(f, "port = eighty\n");
        assertThatThrownBy(() -> ServerConfig.load(f)).hasMessageContaining("port").hasMessageContaining("eighty");
        Files.writeString(f, "backup.keep = 0\n");
        assertThatThrownBy(() -> ServerConfig.load(f)).hasMessageContaining("backup.keep");
        Files.writeString(f, "port = 70000\n");
        assertThatThrownBy(() -> ServerConfig.load(f)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> ServerConfig.load(dir.resolve("missing.properties")))
                .isInstanceOfSatisfying(BoomerangException.class, e -> assertThat(e.code()).isEqualTo(ConfigError.CONFIG_UNREADABLE));
    }
}
