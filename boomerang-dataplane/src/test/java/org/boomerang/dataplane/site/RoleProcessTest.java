package org.boomerang.dataplane.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.boomerang.common.BoomerangException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A role run as a child process, with a shell script in the role's place: it reads the port from the
 * config the data plane wrote, prints the line a role prints when it listens, and stays up. Killed with
 * SIGKILL, it is started again on the same port; a child that never says where it listens fails with
 * {@code ROLE_PROCESS_FAILED}, naming its log.
 */
class RoleProcessTest {
    @TempDir
    Path dir;

    /** Listens on the config's port (a free one for port 0), says so, and stays up. Arguments: ROLE --config FILE. */
    private static List<String> fakeRole(int freePort) {
        return List.of("sh", "-c", "p=$(sed -n 's/^listen: .*:\\([0-9]*\\)$/\\1/p' \"$3\"); [ \"$p\" = 0 ] && p=" + freePort
                + "; echo \"$1 listening on 127.0.0.1:$p\"; exec sleep 600", "role");
    }

    @Test
    void aKilledChildStartsAgainOnItsPortAndCloseStopsIt() throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        RoleProcess p = RoleProcess.start("primary", ChildRole.MASTER_TARGET, fakeRole(free), dir, port -> "listen: 127.0.0.1:" + port + "\n");
        RoleProcess.Status first = p.status();
        assertThat(first.running()).isTrue();
        assertThat(first.port()).isEqualTo(free);
        assertThat(first.starts()).isEqualTo(1);
        assertThat(dir.resolve("master-target.yaml")).content().as("the first start: any port").isEqualTo("listen: 127.0.0.1:0\n");

        assertThat(ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly()).isTrue();
        p.awaitRestarted(first.pid(), Duration.ofSeconds(30));
        RoleProcess.Status second = p.status();
        assertThat(second.pid()).isNotEqualTo(first.pid());
        assertThat(second.port()).as("the same port: routes and agents name it").isEqualTo(free);
        assertThat(second.starts()).isEqualTo(2);
        assertThat(dir.resolve("master-target.yaml")).content().isEqualTo("listen: 127.0.0.1:" + free + "\n");
        assertThat(dir.resolve("master-target.log")).content().contains("master-target listening on 127.0.0.1:" + free);

        p.close();
        assertThat(ProcessHandle.of(second.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(p.status().running()).isFalse();
    }

    @Test
    void aChildThatNeverListensFailsWithItsCode() throws Exception {
        assertThatThrownBy(() -> RoleProcess.start("recovery", ChildRole.PROCESS_SERVER, List.of("sh", "-c", "echo cannot bind; exit 3", "role"),
                dir, port -> "listen: 127.0.0.1:" + port + "\n"))
                .isInstanceOfSatisfying(BoomerangException.class, e -> {
                    assertThat(e.code()).isEqualTo(SiteError.ROLE_PROCESS_FAILED);
                    assertThat(e.getMessage()).contains("process-server of site recovery", "exit code 3");
                });
        assertThat(Files.readString(dir.resolve("process-server.log"))).contains("cannot bind");
    }
}
