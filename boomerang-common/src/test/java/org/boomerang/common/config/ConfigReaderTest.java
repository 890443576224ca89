package org.boomerang.common.config;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.boomerang.common.BoomerangException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReaderTest {
    enum Mode { FAST, SAFE }

    record Limits(int keep, Duration every) {
        Limits {
            requireNonNull(every, "every is null");
            if (keep < 1) {
                throw new InvalidConfigValue("keep", keep, "must be at least 1", "keep: 24");
            }
        }
    }

    record Peer(String name, int port) {}

    record Sample(Path data, int port, Optional<String> url, Mode mode, Limits backup,
                  @JsonDeserialize(using = ByteSizeDeserializer.class) long segmentSize, List<Peer> peers) {
        static Sample defaults() {
            return new Sample(Path.of("data"), 8080, Optional.empty(), Mode.SAFE, new Limits(24, Duration.ofHours(1)), 64L << 20, List.of());
        }
    }

    @TempDir
    Path dir;

    @Test
    void anEmptyFileGivesTheDefaults() {
        assertThat(ConfigReader.parse("", "empty", Sample.class, Sample.defaults())).isEqualTo(Sample.defaults());
        assertThat(ConfigReader.parse("{}", "json", Sample.class, Sample.defaults())).isEqualTo(Sample.defaults());
    }

    @Test
    void everyKeyMapsAndNestedMapsMergeKeyByKey() throws Exception {
        Path f = dir.resolve("sample.yaml");
        Files.writeString(f, """
                data: /srv/b
                port: 9090
                url: jdbc:postgresql://db/b
                mode: fast
                backup:
                  every: 250ms
                segment-size: 16M
                peers:
                  - {name: dr, port: 10809}
                """);
        Sample s = ConfigReader.read(f, Sample.class, Sample.defaults());
        assertThat(s).isEqualTo(new Sample(Path.of("/srv/b"), 9090, Optional.of("jdbc:postgresql://db/b"), Mode.FAST,
                new Limits(24, Duration.ofMillis(250)), 16L << 20, List.of(new Peer("dr", 10809))));
    }

    @Test
    void jsonIsReadToo() {
        Sample s = ConfigReader.parse("{\"port\": 1, \"backup\": {\"keep\": 2}}", "j", Sample.class, Sample.defaults());
        assertThat(s.port()).isEqualTo(1);
        assertThat(s.backup()).isEqualTo(new Limits(2, Duration.ofHours(1)));
    }

    @Test
    void anUnknownKeyIsNamedWithTheKeysThatExist() {
        assertThatThrownBy(() -> ConfigReader.parse("backup:\n  evry: 1h\n", "f.yaml", Sample.class, Sample.defaults()))
                .isInstanceOfSatisfying(BoomerangException.class, e -> {
                    assertThat(e.code()).isEqualTo(ConfigError.CONFIG_UNKNOWN_KEY);
                    assertThat(e.getMessage()).contains("backup.evry").contains("f.yaml");
                    assertThat(e.hint()).contains("every").contains("keep");
                });
    }

    @Test
    void aValueOfTheWrongKindNamesKeyValueAndWhatToWrite() {
        assertThatThrownBy(() -> ConfigReader.parse("port: eighty\n", "f.yaml", Sample.class, Sample.defaults()))
                .isInstanceOfSatisfying(BoomerangException.class, e -> {
                    assertThat(e.code()).isEqualTo(ConfigError.CONFIG_INVALID_VALUE);
                    assertThat(e.getMessage()).contains("port").contains("eighty").contains("whole number");
                    assertThat(e.hint()).contains("port: 8080");
                });
        assertThatThrownBy(() -> ConfigReader.parse("backup: {every: 10}\n", "f.yaml", Sample.class, Sample.defaults()))
                .isInstanceOfSatisfying(BoomerangException.class, e -> {
                    assertThat(e.getMessage()).contains("backup.every").contains("'10'");
                    assertThat(e.hint()).contains("30s").contains("backup.every: 1h");
                });
        assertThatThrownBy(() -> ConfigReader.parse("mode: slow\n", "f.yaml", Sample.class, Sample.defaults()))
                .hasMessageContaining("mode").hasMessageContaining("slow")
                .isInstanceOfSatisfying(BoomerangException.class, e -> assertThat(e.hint()).contains("FAST, SAFE"));
        assertThatThrownBy(() -> ConfigReader.parse("segment-size: lots\n", "f.yaml", Sample.class, Sample.defaults()))
                .hasMessageContaining("segment-size").hasMessageContaining("lots");
    }

    @Test
    void aValueTheRecordRefusesIsNamedWithItsFullKey() {
        assertThatThrownBy(() -> ConfigReader.parse("backup:\n  keep: 0\n", "f.yaml", Sample.class, Sample.defaults()))
                .isInstanceOfSatisfying(BoomerangException.class, e -> {
                    assertThat(e.code()).isEqualTo(ConfigError.CONFIG_INVALID_VALUE);
                    assertThat(e.getMessage()).contains("backup.keep = '0'").contains("f.yaml").contains("at least 1");
                    assertThat(e.hint()).contains("keep: 24");
                });
    }

    @Test
    void withoutDefaultsEveryKeyButOptionalsMustBePresent() {
        assertThatThrownBy(() -> ConfigReader.parse("peers:\n  - {name: dr}\nport: 1\n", "f.yaml", Sample.class, null))
                .isInstanceOfSatisfying(BoomerangException.class, e -> {
                    assertThat(e.code()).isEqualTo(ConfigError.CONFIG_MISSING_KEY);
                    assertThat(e.getMessage()).contains("data").contains("backup").contains("peers[0].port").doesNotContain("url");
                });
        Peer p = ConfigReader.parse("name: dr\nport: 1\n", "p", Peer.class, null);
        assertThat(p).isEqualTo(new Peer("dr", 1));
    }

    @Test
    void badSyntaxAndUnreadableFilesAreTheirOwnErrors() {
        assertThatThrownBy(() -> ConfigReader.parse("port: [1,\n", "f.yaml", Sample.class, Sample.defaults()))
                .isInstanceOfSatisfying(BoomerangException.class, e -> assertThat(e.code()).isEqualTo(ConfigError.CONFIG_MALFORMED));
        assertThatThrownBy(() -> ConfigReader.parse("- a\n- b\n", "f.yaml", Sample.class, Sample.defaults()))
                .isInstanceOfSatisfying(BoomerangException.class, e -> assertThat(e.code()).isEqualTo(ConfigError.CONFIG_MALFORMED));
        assertThatThrownBy(() -> ConfigReader.read(dir.resolve("missing.yaml"), Sample.class, Sample.defaults()))
                .isInstanceOfSatisfying(BoomerangException.class, e -> assertThat(e.code()).isEqualTo(ConfigError.CONFIG_UNREADABLE));
    }

    @Test
    void theDefaultsWriteAsYamlThatReadsBack() {
        String yaml = ConfigReader.toYaml(Sample.defaults());
        assertThat(yaml).contains("segment-size").contains("every: \"1h\"");
        assertThat(ConfigReader.parse(yaml, "round-trip", Sample.class, null)).isEqualTo(Sample.defaults());
    }
}
