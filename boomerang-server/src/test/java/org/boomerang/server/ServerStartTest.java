package org.boomerang.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.boomerang.api.ApiErrorCode;
import org.boomerang.common.BoomerangException;
import org.boomerang.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What refuses a start or makes it safe: the data folder lock, a taken port, unique lease owners, private files. */
class ServerStartTest {
    @TempDir
    Path dir;

    private ServerConfig config(Path data, int port) {
        return new ServerConfig(data, "127.0.0.1", port, ServerConfig.Database.SQLITE, "primary", "test-node",
                new ServerConfig.Backup(java.time.Duration.ZERO, 2), java.util.List.of(), false, data);
    }

    @Test
    void aSecondServerOnTheSameDataFolderIsRefusedAndMayStartOnceTheFirstStops() {
        Path data = dir.resolve("data");
        try (ServerRuntime first = new ServerRuntime(config(data, 0)).start()) {
            assertThatThrownBy(() -> new ServerRuntime(config(data, 0)).start())
                    .isInstanceOfSatisfying(BoomerangException.class, e -> {
                        assertThat(e.code()).isEqualTo(ServerError.DATA_FOLDER_IN_USE);
                        assertThat(e.getMessage()).contains("another control server runs on the data folder").contains(first.owner());
                        assertThat(e.hint()).contains("--data");
                    });
            assertThat(first.port()).isPositive();
        }
        try (ServerRuntime again = new ServerRuntime(config(data, 0)).start()) {
            assertThat(again.port()).isPositive();
        }
    }

    @Test
    void aSecondServerProcessOnTheSameDataFolderExitsWithAClearError() throws Exception {
        Path data = dir.resolve("data");
        try (ServerRuntime first = new ServerRuntime(config(data, 0)).start()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process second = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "server", "--data", data.toString(), "--port", "0").redirectErrorStream(true).start();
            String output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(second.waitFor()).as(output).isEqualTo(6);
            assertThat(output).contains("error: DATA_FOLDER_IN_USE: another control server runs on the data folder")
                    .contains(first.owner()).doesNotContain("Exception");
        }
    }

    @Test
    void sigtermStopsTheServerCleanlyWithLogLinesAndFreesTheDataFolder() throws Exception {
        Path data = dir.resolve("data");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("server.log");
        Process server = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "server", "--data", data.toString(), "--port", "0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(90).toNanos();
            while (!Files.readString(log).contains("listening on http://") && server.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(Files.readString(log)).contains("listening on http://");
            server.destroy(); // SIGTERM
            assertThat(server.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
        } finally {
            server.destroyForcibly();
        }
        String out = Files.readString(log);
        assertThat(out).contains("stopping: the API closes, no new jobs are taken").contains(" stopped");
        try (ServerRuntime again = new ServerRuntime(config(data, 0)).start()) {
            assertThat(again.port()).isPositive();
        }
    }

    @Test
    void aPortInUseIsNamedAndNothingStaysLocked() throws Exception {
        Path data = dir.resolve("data");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> new ServerRuntime(config(data, taken.getLocalPort())).start())
                    .isInstanceOfSatisfying(BoomerangException.class, e -> {
                        assertThat(e.code()).isEqualTo(ApiErrorCode.API_PORT_IN_USE);
                        assertThat(e.getMessage()).contains("127.0.0.1:" + taken.getLocalPort()).contains("already in use");
                        assertThat(e.hint()).contains("--port");
                    });
            TestingCli.Run run = new TestingCli(List.of()).plain("server", "--data", data.toString(), "--port", Integer.toString(taken.getLocalPort()));
            assertThat(run.exit()).isEqualTo(6);
            assertThat(run.err()).startsWith("error: API_PORT_IN_USE: cannot listen on").doesNotContain("a bug").doesNotContain("\tat ");
        }
        try (ServerRuntime after = new ServerRuntime(config(data, 0)).start()) {
            assertThat(after.port()).isPositive();
        }
    }

    @Test
    void everyProcessHasItsOwnLeaseOwnerEvenWithOneConfiguredNodeName() {
        String a = ServerRuntime.leaseOwner("cs");
        String b = ServerRuntime.leaseOwner("cs");
        assertThat(a).startsWith("cs/" + ProcessHandle.current().pid() + "-");
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void theDataFolderTheDatabaseTheLockAndBackupsAreTheServersUsersOnly() throws Exception {
        Path data = dir.resolve("data");
        try (ServerRuntime server = new ServerRuntime(config(data, 0)).start()) {
            assertThat(mode(data)).isEqualTo("rwx------");
            assertThat(mode(data.resolve("control.db"))).isEqualTo("rw-------");
            assertThat(mode(data.resolve(DataFolderLock.FILE_NAME))).isEqualTo("rw-------");
        }
        TestingCli.Run backup = new TestingCli(List.of()).plain("server", "backup", "--data", data.toString());
        assertThat(backup.exit()).as(backup.err()).isZero();
        assertThat(mode(data.resolve("backups"))).isEqualTo("rwx------");
        try (var files = Files.list(data.resolve("backups"))) {
            for (Path f : files.toList()) {
                assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
            }
        }
    }

    private static String mode(Path p) throws java.io.IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
