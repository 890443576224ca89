package org.boomerang.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.config.ConfigError;
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
        assertThat(d.database().url()).isEmpty();
        assertThat(d.site()).isEqualTo("primary");
        assertThat(d.node()).isNotBlank();
        assertThat(d.backup().every()).isEqualTo(Duration.ofHours(1));
        assertThat(d.backup().keep()).isEqualTo(24);
        assertThat(ServerConfig.load(null, Map.of())).isEqualTo(d);
    }

    @Test
    void everyKeyMapsAndUnsetKeysKeepTheirDefaults() throws Exception {
        Path f = dir.resolve("server.yaml");
        Files.writeString(f, """
                data: /srv/boomerang
                port: 9090
                database:
                  url: jdbc:postgresql://db/b
                site: dc1
                node: cs-1
                backup:
                  every: 10m
                  keep: 3
                """);
        ServerConfig c = ServerConfig.load(f);
        assertThat(c).isEqualTo(new ServerConfig(Path.of("/srv/boomerang"), "127.0.0.1", 9090, new ServerConfig.Database(Optional.of("jdbc:postgresql://db/b")),
                "dc1", "cs-1", new ServerConfig.Backup(Duration.ofMinutes(10), 3), List.of(), false, f.toAbsolutePath().getParent()));
        Files.writeString(f, "backup: {keep: 5}\nbind: 0.0.0.0\n");
        ServerConfig partial = ServerConfig.load(f);
        assertThat(partial.backup()).isEqualTo(new ServerConfig.Backup(Duration.ofHours(1), 5));
        assertThat(partial.bind()).isEqualTo("0.0.0.0");
        assertThat(partial.api().maxBodyBytes()).isEqualTo(1L << 20);
        Files.writeString(f, "api: {max-body-bytes: 8M}\n");
        assertThat(ServerConfig.load(f).api().maxBodyBytes()).isEqualTo(8L << 20);
        Files.writeString(f, "api: {max-body-bytes: 100}\n");
        assertThatThrownBy(() -> ServerConfig.load(f)).hasMessageContaining("max-body-bytes");
    }

    @Test
    void commandLineOptionsOverrideTheFile() throws Exception {
        Path f = dir.resolve("server.yaml");
        Files.writeString(f, "port: 9090\nbind: 0.0.0.0\n");
        Map<String, Object> options = new HashMap<>();
        options.put("port", 0);
        options.put("data", dir);
        options.put("database.url", "jdbc:postgresql://other/b");
        options.put("bind", null);
        ServerConfig c = ServerConfig.load(f, options);
        assertThat(c.port()).isZero();
        assertThat(c.data()).isEqualTo(dir);
        assertThat(c.bind()).isEqualTo("0.0.0.0");
        assertThat(c.database().url()).contains("jdbc:postgresql://other/b");
        assertThatThrownBy(() -> ServerConfig.load(f, Map.of("port", 70000)))
                .hasMessageContaining("port = '70000'").hasMessageContaining("command-line");
    }

    @Test
    void anUnknownKeyOrABadValueFailsTheStartNamingIt() throws Exception {
        Path f = dir.resolve("server.yaml");
        Files.writeString(f, "prot: 8080\n");
        assertThatThrownBy(() -> ServerConfig.load(f)).isInstanceOfSatisfying(BoomerangException.class, e -> {
            assertThat(e.code()).isEqualTo(ConfigError.CONFIG_UNKNOWN_KEY);
            assertThat(e.getMessage()).contains("prot");
            assertThat(e.hint()).contains("port");
        });
        Files.writeString(f, "port: eighty\n");
        assertThatThrownBy(() -> ServerConfig.load(f)).hasMessageContaining("port").hasMessageContaining("eighty");
        Files.writeString(f, "backup:\n  keep: 0\n");
        assertThatThrownBy(() -> ServerConfig.load(f)).isInstanceOfSatisfying(BoomerangException.class, e -> {
            assertThat(e.getMessage()).contains("backup.keep = '0'");
            assertThat(e.hint()).contains("keep: 24");
        });
        Files.writeString(f, "backup:\n  every: 3600\n");
        assertThatThrownBy(() -> ServerConfig.load(f)).isInstanceOfSatisfying(BoomerangException.class, e -> {
            assertThat(e.getMessage()).contains("backup.every = '3600'");
            assertThat(e.hint()).contains("1h");
        });
        Files.writeString(f, "port: 70000\n");
        assertThatThrownBy(() -> ServerConfig.load(f)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> ServerConfig.load(dir.resolve("missing.yaml")))
                .isInstanceOfSatisfying(BoomerangException.class, e -> assertThat(e.code()).isEqualTo(ConfigError.CONFIG_UNREADABLE));
    }
}
