package org.boomerang.dataplane.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.ErrorCode;
import org.boomerang.common.config.ConfigError;
import org.boomerang.dataplane.agent.AgentConfig;
import org.boomerang.dataplane.capture.CaptureOptions;
import org.boomerang.dataplane.mastertarget.MasterTargetConfig;
import org.boomerang.dataplane.processserver.ProcessServerConfig;
import org.boomerang.journal.JournalOptions;
import org.boomerang.stream.TlsFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The roles' config files as docs/configuration.md documents them (STYLE.md rule 12): the loopback
 * example reads, a file with only the required keys gets every default, each key maps to its field,
 * relative paths are relative to the file's folder, and a bad file is refused with a
 * {@link ConfigError} naming the key, the value and what to write instead.
 */
class RoleConfigTest {
    private static final String TLS = "tls: {ca: certs/ca.crt, cert: certs/r.crt, key: /keys/r.key}\n";

    @TempDir
    Path dir;

    static Path examples() {
        Path p = Path.of("").toAbsolutePath();
        while (!Files.exists(p.resolve("examples/loopback"))) {
            p = p.getParent();
        }
        return p.resolve("examples/loopback");
    }

    @Test
    void theLoopbackExampleReads() {
        Path ex = examples();
        AgentConfig agent = AgentConfig.read(ex.resolve("agent.yaml"));
        assertThat(agent.name()).isEqualTo("agent");
        assertThat(agent.nbd()).isEqualTo(new Endpoint("127.0.0.1", 10809));
        assertThat(agent.processServer()).isEqualTo(new Endpoint("127.0.0.1", 7001));
        assertThat(agent.state()).isEqualTo(ex.resolve("data/agent/state"));
        assertThat(agent.disks()).singleElement().satisfies(d -> {
            assertThat(d.id().value()).isEqualTo("disk0");
            assertThat(d.size()).isEqualTo(64L << 20);
            assertThat(d.image()).isEqualTo(ex.resolve("data/agent/disk0.img"));
        });
        assertThat(agent.markerEvery()).isEqualTo(Duration.ofSeconds(1));
        assertThat(agent.tls()).isEqualTo(new TlsFiles(ex.resolve("certs/ca.crt"), ex.resolve("certs/agent.crt"), ex.resolve("certs/agent.key")));
        assertThat(agent.metrics()).isEqualTo(new Endpoint("127.0.0.1", 9181));
        assertThat(agent.digests()).isEqualTo(new Endpoint("127.0.0.1", 7003));
        ProcessServerConfig ps = ProcessServerConfig.read(ex.resolve("process-server.yaml"));
        assertThat(ps.listen()).isEqualTo(new Endpoint("127.0.0.1", 7001));
        assertThat(ps.cacheDir()).isEqualTo(ex.resolve("data/process-server/cache"));
        assertThat(ps.cacheMaxBytes()).isEqualTo(1L << 30);
        assertThat(ps.routeOf("disk0").address()).isEqualTo(new Endpoint("127.0.0.1", 7002));
        assertThat(ps.compressionLevel()).isEqualTo(3);
        assertThat(ps.metrics()).isEqualTo(new Endpoint("127.0.0.1", 9182));
        MasterTargetConfig mt = MasterTargetConfig.read(ex.resolve("master-target.yaml"));
        assertThat(mt.listen()).isEqualTo(new Endpoint("127.0.0.1", 7002));
        assertThat(mt.journalDirectory("disk0")).isEqualTo(ex.resolve("data/master-target/journals/disk0"));
        assertThat(mt.tls().privateKey()).isEqualTo(ex.resolve("certs/master-target.key"));
        assertThat(mt.metrics()).isEqualTo(new Endpoint("127.0.0.1", 9183));
    }

    @Test
    void aFileWithOnlyTheRequiredKeysGetsTheDefaults() throws Exception {
        MasterTargetConfig mt = MasterTargetConfig.read(write("mt.yaml", "listen: 127.0.0.1:0\ndata: d\n" + TLS));
        assertThat(mt).isEqualTo(new MasterTargetConfig("master-target", new Endpoint("127.0.0.1", 0), dir.resolve("d"),
                new TlsFiles(dir.resolve("certs/ca.crt"), dir.resolve("certs/r.crt"), Path.of("/keys/r.key")), null,
                JournalOptions.DEFAULT_SEGMENT_BYTES));

        ProcessServerConfig ps = ProcessServerConfig.read(write("ps.yaml",
                "listen: 127.0.0.1:7001\ncache: {dir: c}\nmaster-targets: [{address: '127.0.0.1:7002'}]\n" + TLS));
        assertThat(ps.name()).isEqualTo("process-server");
        assertThat(ps.cacheMaxBytes()).isEqualTo(1L << 30);
        assertThat(ps.compressionLevel()).isEqualTo(3);
        assertThat(ps.masterTargets()).containsExactly(new ProcessServerConfig.Route(new Endpoint("127.0.0.1", 7002), List.of("*")));
        assertThat(ps.metrics()).isNull();

        AgentConfig agent = AgentConfig.read(write("agent.yaml",
                "nbd: {listen: '127.0.0.1:0'}\nprocess-server: 127.0.0.1:7001\nstate: s\ndisks: [{id: d0, image: d0.img}]\n" + TLS));
        assertThat(agent.name()).isEqualTo("agent");
        assertThat(agent.disks()).singleElement().satisfies(d -> assertThat(d.size()).isZero());
        assertThat(agent.markerEvery()).isNull();
        assertThat(agent.capture()).isEqualTo(CaptureOptions.defaults());
        assertThat(agent.metrics()).isNull();
        assertThat(agent.digests()).isNull();
    }

    @Test
    void everyKeyMapsToItsField() throws Exception {
        AgentConfig agent = AgentConfig.read(write("agent.yaml", """
                name: agent-7
                nbd: {listen: '[::1]:10810'}
                process-server: ps.example:7101
                state: /var/lib/agent
                disks:
                  - {id: a.0, image: a.img, size: 2GiB}
                  - {id: b_1, image: /dev/sdb}
                marker-every: 250ms
                capture: {queue-size: 8MiB, extent-size: 64KiB, max-guest-block: 5s, synchronous: true}
                metrics: 127.0.0.1:9200
                digests: 0.0.0.0:7103
                """ + TLS));
        assertThat(agent.name()).isEqualTo("agent-7");
        assertThat(agent.nbd()).isEqualTo(new Endpoint("::1", 10810));
        assertThat(agent.processServer()).isEqualTo(new Endpoint("ps.example", 7101));
        assertThat(agent.state()).isEqualTo(Path.of("/var/lib/agent"));
        assertThat(agent.disks()).extracting(d -> d.id().value(), AgentConfig.Disk::image, AgentConfig.Disk::size)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a.0", dir.resolve("a.img"), 2L << 30),
                        org.assertj.core.groups.Tuple.tuple("b_1", Path.of("/dev/sdb"), 0L));
        assertThat(agent.markerEvery()).isEqualTo(Duration.ofMillis(250));
        assertThat(agent.capture()).isEqualTo(CaptureOptions.defaults().withQueueBytes(8L << 20).withExtentBytes(64 << 10)
                .withMaxGuestBlock(Duration.ofSeconds(5)).withSynchronous(true));
        assertThat(agent.metrics()).isEqualTo(new Endpoint("127.0.0.1", 9200));
        assertThat(agent.digests()).isEqualTo(new Endpoint("0.0.0.0", 7103));
        assertThat(AgentConfig.read(write("never.yaml", Files.readString(dir.resolve("agent.yaml")).replace("250ms", "never")))
                .markerEvery()).isNull();

        ProcessServerConfig ps = ProcessServerConfig.read(write("ps.json", """
                {"name": "ps-2", "listen": "0.0.0.0:7201", "cache": {"dir": "/cache", "max-size": "4MiB"},
                 "compression": {"codec": "zstd", "level": 19},
                 "master-targets": [{"address": "mt1:7002", "disks": ["disk0", "recovery.*"]}, {"address": "mt2:7002", "disks": ["*"]}],
                 "tls": {"ca": "ca.crt", "cert": "ps.crt", "key": "ps.key"}, "metrics": "127.0.0.1:9201"}
                """));
        assertThat(ps.name()).isEqualTo("ps-2");
        assertThat(ps.listen()).isEqualTo(new Endpoint("0.0.0.0", 7201));
        assertThat(ps.cacheDir()).isEqualTo(Path.of("/cache"));
        assertThat(ps.cacheMaxBytes()).isEqualTo(4L << 20);
        assertThat(ps.compressionLevel()).isEqualTo(19);
        assertThat(ps.routeOf("disk0").address().host()).isEqualTo("mt1");
        assertThat(ps.routeOf("recovery.web1").address().host()).isEqualTo("mt1");
        assertThat(ps.routeOf("disk9").address().host()).isEqualTo("mt2");
        assertThat(ps.tls().certificate()).isEqualTo(dir.resolve("ps.crt"));
        assertThat(ps.metrics()).isEqualTo(new Endpoint("127.0.0.1", 9201));
        assertThat(ProcessServerConfig.read(write("none.yaml", "listen: 127.0.0.1:7001\ncache: {dir: c}\ncompression: {codec: none}\n"
                + "master-targets: [{address: '127.0.0.1:7002'}]\n" + TLS)).compressionLevel()).isZero();

        MasterTargetConfig mt = MasterTargetConfig.read(write("mt.yaml",
                "name: mt-3\nlisten: 127.0.0.1:7302\ndata: ../mt\nmetrics: 127.0.0.1:9302\njournal: {segment-size: 64KiB}\n" + TLS));
        assertThat(mt.name()).isEqualTo("mt-3");
        assertThat(mt.data()).isEqualTo(dir.getParent().resolve("mt"));
        assertThat(mt.metrics()).isEqualTo(new Endpoint("127.0.0.1", 9302));
        assertThat(mt.segmentBytes()).isEqualTo(64L << 10);
    }

    @Test
    void missingRequiredKeysAreNamedAllAtOnce() throws Exception {
        assertRefused(MasterTargetConfig::read, "mt.yaml", "metrics: 127.0.0.1:9102\n", ConfigError.CONFIG_MISSING_KEY, "listen, data, tls");
        assertRefused(MasterTargetConfig::read, "mt.yaml", "listen: 127.0.0.1:7002\ndata: d\ntls: {ca: a, cert: b}\n",
                ConfigError.CONFIG_MISSING_KEY, "tls.key");
        assertRefused(ProcessServerConfig::read, "ps.yaml", "listen: 127.0.0.1:7001\n" + TLS, ConfigError.CONFIG_MISSING_KEY,
                "cache.dir, master-targets");
        assertRefused(ProcessServerConfig::read, "ps.yaml", "listen: 127.0.0.1:7001\ncache: {dir: c}\nmaster-targets: [{disks: ['*']}]\n" + TLS,
                ConfigError.CONFIG_MISSING_KEY, "master-targets[0].address");
        assertRefused(AgentConfig::read, "agent.yaml", "disks: [{id: d0}]\n" + TLS, ConfigError.CONFIG_MISSING_KEY,
                "nbd, process-server, state, disks[0].image");
    }

    @Test
    void badValuesNameTheKeyTheValueAndTheFix() throws Exception {
        String mt = "listen: 127.0.0.1:7002\ndata: d\n" + TLS;
        assertRefused(MasterTargetConfig::read, "mt.yaml", mt.replace("127.0.0.1:7002", "nowhere"), ConfigError.CONFIG_INVALID_VALUE,
                "listen = 'nowhere'", "is not HOST:PORT such as 127.0.0.1:7002: no port");
        assertRefused(MasterTargetConfig::read, "mt.yaml", mt.replace("127.0.0.1:7002", "h:70000"), ConfigError.CONFIG_INVALID_VALUE,
                "listen = 'h:70000'", "outside 0..65535");
        assertRefused(MasterTargetConfig::read, "mt.yaml", mt + "colour: blue\n", ConfigError.CONFIG_UNKNOWN_KEY, "unknown key 'colour'");
        assertRefused(MasterTargetConfig::read, "mt.yaml", mt + "journal: {segment-size: huge}\n", ConfigError.CONFIG_INVALID_VALUE,
                "journal.segment-size = 'huge'", "is not a size");
        assertRefused(MasterTargetConfig::read, "mt.yaml", mt + "journal: {segment-size: 2GiB}\n", ConfigError.CONFIG_INVALID_VALUE,
                "journal.segment-size = '2.0 GiB'", "64KiB .. 1GiB");
        assertRefused(MasterTargetConfig::read, "mt.yaml", mt + "name: ' '\n", ConfigError.CONFIG_INVALID_VALUE, "name = ' '", "is empty");
        assertRefused(MasterTargetConfig::read, "mt.yaml", "listen: [unclosed\n", ConfigError.CONFIG_MALFORMED, "is not valid YAML");
        assertRefused(MasterTargetConfig::read, "mt.yaml", "- a list\n", ConfigError.CONFIG_MALFORMED, "not a map of keys");

        String ps = "listen: 127.0.0.1:7001\ncache: {dir: c}\nmaster-targets: [{address: '127.0.0.1:7002'}]\n" + TLS;
        assertRefused(ProcessServerConfig::read, "ps.yaml", ps.replace("{dir: c}", "{dir: c, max-size: 1MiB}"),
                ConfigError.CONFIG_INVALID_VALUE, "cache.max-size = '1.0 MiB'", "below 4MiB");
        assertRefused(ProcessServerConfig::read, "ps.yaml", ps + "compression: {codec: lz4}\n", ConfigError.CONFIG_INVALID_VALUE,
                "compression.codec = 'lz4'", "one of ZSTD, NONE");
        assertRefused(ProcessServerConfig::read, "ps.yaml", ps + "compression: {level: 22}\n", ConfigError.CONFIG_INVALID_VALUE,
                "compression.level = '22'", "1..19");
        assertRefused(ProcessServerConfig::read, "ps.yaml", ps + "compression: {level: high}\n", ConfigError.CONFIG_INVALID_VALUE,
                "compression.level = 'high'", "is not a whole number");
        assertRefused(ProcessServerConfig::read, "ps.yaml", ps.replace("[{address: '127.0.0.1:7002'}]", "[]"),
                ConfigError.CONFIG_INVALID_VALUE, "master-targets = '[]'", "is empty");
        assertRefused(ProcessServerConfig::read, "ps.yaml", ps.replace("'127.0.0.1:7002'}", "'127.0.0.1:7002', disks: ['']}"),
                ConfigError.CONFIG_INVALID_VALUE, "master-targets[0].disks", "empty disk id");
        assertRefused(ProcessServerConfig::read, "ps.yaml", ps.replace("{dir: c}", "{dir: c, size: 1GiB}"), ConfigError.CONFIG_UNKNOWN_KEY,
                "unknown key 'cache.size'", "dir, max-size");

        String agent = "nbd: {listen: '127.0.0.1:0'}\nprocess-server: 127.0.0.1:7001\nstate: s\ndisks: [{id: d0, image: d0.img, size: 64MiB}]\n" + TLS;
        assertRefused(AgentConfig::read, "agent.yaml", agent.replace("size: 64MiB", "size: sixty"), ConfigError.CONFIG_INVALID_VALUE,
                "disks[0].size = 'sixty'", "is not a size");
        assertRefused(AgentConfig::read, "agent.yaml", agent.replace("id: d0", "id: 'd/0'"), ConfigError.CONFIG_INVALID_VALUE,
                "disks[0].id = 'd/0'", "is not a disk id");
        assertRefused(AgentConfig::read, "agent.yaml", agent.replace("[{id: d0, image: d0.img, size: 64MiB}]", "[{id: d0, image: a}, {id: d0, image: b}]"),
                ConfigError.CONFIG_INVALID_VALUE, "disks = 'd0'", "twice");
        assertRefused(AgentConfig::read, "agent.yaml", agent.replace("[{id: d0, image: d0.img, size: 64MiB}]", "[]"),
                ConfigError.CONFIG_INVALID_VALUE, "disks = '[]'", "is empty");
        assertRefused(AgentConfig::read, "agent.yaml", agent + "marker-every: soon\n", ConfigError.CONFIG_INVALID_VALUE,
                "marker-every = 'soon'", "is not a duration");
        assertRefused(AgentConfig::read, "agent.yaml", agent + "marker-every: 0s\n", ConfigError.CONFIG_INVALID_VALUE,
                "marker-every = '0s'", "below 1ms");
        assertRefused(AgentConfig::read, "agent.yaml", agent + "capture: {queue-size: 4KiB}\n", ConfigError.CONFIG_INVALID_VALUE,
                "capture.queue-size = '4.0 KiB'", "below 1MiB");
        assertRefused(AgentConfig::read, "agent.yaml", agent + "capture: {extent-size: 3KiB}\n", ConfigError.CONFIG_INVALID_VALUE,
                "capture.extent-size = '3.0 KiB'", "power of two");
        assertRefused(AgentConfig::read, "agent.yaml", agent + "capture: {max-guest-block: 0s}\n", ConfigError.CONFIG_INVALID_VALUE,
                "capture.max-guest-block = '0s'", "not a positive duration");
        assertRefused(AgentConfig::read, "agent.yaml", agent + "capture: {synchronous: maybe}\n", ConfigError.CONFIG_INVALID_VALUE,
                "capture.synchronous = 'maybe'", "true or false");
        assertRefused(AgentConfig::read, "agent.yaml", agent + "digests: 7003\n", ConfigError.CONFIG_INVALID_VALUE,
                "digests = '7003'", "HOST:PORT");

        assertThatThrownBy(() -> MasterTargetConfig.read(dir.resolve("absent.yaml"))).isInstanceOf(BoomerangException.class)
                .hasMessageContaining("absent.yaml does not exist")
                .satisfies(e -> assertThat(((BoomerangException) e).code()).isEqualTo(ConfigError.CONFIG_UNREADABLE));
    }

    @Test
    void theDocumentedKeysAreExactlyTheKeysTheReaderTakes() throws Exception {
        Path doc = examples().getParent().getParent().resolve("docs/configuration.md");
        String text = Files.readString(doc);
        String roles = text.substring(text.indexOf("## The data-plane roles"));
        java.util.Map<String, java.util.Set<String>> documented = new java.util.HashMap<>();
        String table = "";
        for (String line : roles.split("\n")) {
            if (line.startsWith("### ")) {
                table = line;
            } else if (line.startsWith("| `")) {
                documented.computeIfAbsent(table, t -> new java.util.TreeSet<>()).add(line.substring(3, line.indexOf('`', 3)));
            }
        }
        java.util.Set<String> common = documented.get("### Keys every role has");
        assertThat(common).containsExactlyInAnyOrder("name", "tls.ca", "tls.cert", "tls.key", "metrics");
        assertThat(union(common, documented.get("### Master target (`master-target.yaml`)")))
                .isEqualTo(keysOf(MasterTargetConfig.class.getName() + "$Keys"));
        assertThat(union(common, documented.get("### Process server (`process-server.yaml`)")))
                .isEqualTo(keysOf(ProcessServerConfig.class.getName() + "$Keys"));
        assertThat(union(common, documented.get("### Agent (`agent.yaml`)"))).isEqualTo(keysOf(AgentConfig.class.getName() + "$Keys"));
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> out = new java.util.TreeSet<>(a);
        out.addAll(b);
        return out;
    }

    /** The keys a config record takes as the reader names them: nested maps as {@code a.b}, list entries as {@code a[].b}. */
    private static java.util.Set<String> keysOf(String recordClass) throws Exception {
        java.util.Set<String> out = new java.util.TreeSet<>();
        walk(Class.forName(recordClass), "", out);
        return out;
    }

    private static void walk(Class<?> type, String prefix, java.util.Set<String> out) {
        for (java.lang.reflect.RecordComponent c : type.getRecordComponents()) {
            String key = prefix + com.fasterxml.jackson.databind.PropertyNamingStrategies.KebabCaseStrategy.INSTANCE.translate(c.getName());
            if (c.getType().isRecord() && !c.getType().equals(Endpoint.class)) {
                walk(c.getType(), key + ".", out);
            } else {
                out.add(key);
                if (List.class.isAssignableFrom(c.getType()) && c.getGenericType() instanceof java.lang.reflect.ParameterizedType p
                        && p.getActualTypeArguments()[0] instanceof Class<?> item && item.isRecord()) {
                    walk(item, key + "[].", out);
                }
            }
        }
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private void assertRefused(java.util.function.Function<Path, ?> reader, String name, String yaml, ErrorCode code, String... expected)
            throws Exception {
        Path f = write(name, yaml);
        assertThatThrownBy(() -> reader.apply(f)).isInstanceOf(BoomerangException.class)
                .hasMessageContaining(f.toString())
                .satisfies(e -> {
                    BoomerangException b = (BoomerangException) e;
                    assertThat(b.code()).as(b.getMessage()).isEqualTo(code);
                    assertThat(b.hint()).as(b.getMessage()).isNotBlank();
                    for (String s : expected) {
                        assertThat(b.getMessage() + " / " + b.hint()).contains(s);
                    }
                });
    }
}
