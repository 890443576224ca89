package org.boomerang.dataplane.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.boomerang.common.BoomerangException;
import org.boomerang.dataplane.agent.AgentConfig;
import org.boomerang.dataplane.mastertarget.MasterTargetConfig;
import org.boomerang.dataplane.processserver.ProcessServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loopback example's configs read as documented; bad files are refused naming the key and the fix. */
class RoleConfigTest {
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
        assertThat(agent.nbd()).isEqualTo(new Endpoint("127.0.0.1", 10809));
        assertThat(agent.disks()).singleElement().satisfies(d -> {
            assertThat(d.id().value()).isEqualTo("disk0");
            assertThat(d.size()).isEqualTo(64L << 20);
            assertThat(d.image()).isEqualTo(ex.resolve("data/agent/disk0.img"));
        });
        assertThat(agent.markerEvery()).isEqualTo(Duration.ofSeconds(1));
        assertThat(agent.digests()).isEqualTo(new Endpoint("127.0.0.1", 7003));
        ProcessServerConfig ps = ProcessServerConfig.read(ex.resolve("process-server.yaml"));
        assertThat(ps.routeOf("disk0").address()).isEqualTo(new Endpoint("127.0.0.1", 7002));
        assertThat(ps.compressionLevel()).isEqualTo(3);
        MasterTargetConfig mt = MasterTargetConfig.read(ex.resolve("master-target.yaml"));
        assertThat(mt.journalDirectory("disk0")).isEqualTo(ex.resolve("data/master-target/journals/disk0"));
        assertThat(mt.tls().privateKey()).isEqualTo(ex.resolve("certs/master-target.key"));
    }

    @Test
    void markersDownToMilliseconds() throws Exception {
        String text = Files.readString(examples().resolve("agent.yaml")).replace("marker-every: 1s", "marker-every: 200ms");
        Path f = dir.resolve("agent.yaml");
        Files.writeString(f, text);
        assertThat(AgentConfig.read(f).markerEvery()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void badFilesNameTheKeyAndTheFix() throws Exception {
        assertRefused("listen: 127.0.0.1:7002\ndata: d\n", "key 'tls' is missing");
        assertRefused("listen: nowhere\ndata: d\ntls: {ca: a, cert: b, key: c}\n", "key 'listen' 'nowhere' is not HOST:PORT");
        assertRefused("listen: 127.0.0.1:7002\ndata: d\ntls: {ca: a, cert: b, key: c}\ncolour: blue\n", "key 'colour' is not a known key");
        assertRefused("listen: 127.0.0.1:7002\ndata: d\ntls: {ca: a, cert: b, key: c}\njournal: {segment-size: huge}\n",
                "key 'journal.segment-size'");
        assertRefused("listen: [unclosed\n", "is not valid YAML");
        Path agent = dir.resolve("agent.yaml");
        Files.writeString(agent, Files.readString(examples().resolve("agent.yaml")).replace("size: 64MiB", "size: sixty"));
        assertThatThrownBy(() -> AgentConfig.read(agent)).isInstanceOf(BoomerangException.class)
                .hasMessageContaining("key 'disks[0].size'").satisfies(e -> assertThat(((BoomerangException) e).code()).isEqualTo(RoleError.BAD_CONFIG));
        assertThatThrownBy(() -> MasterTargetConfig.read(dir.resolve("absent.yaml"))).hasMessageContaining("does not exist");
    }

    private void assertRefused(String yaml, String expected) throws Exception {
        Path f = dir.resolve("mt.yaml");
        Files.writeString(f, yaml);
        assertThatThrownBy(() -> MasterTargetConfig.read(f)).isInstanceOf(BoomerangException.class).hasMessageContaining(expected)
                .satisfies(e -> assertThat(((BoomerangException) e).hint()).isNotBlank());
    }
}
