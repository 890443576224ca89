package org.boomerang.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.boomerang.control.inventory.ControlServerIdentity;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.store.ControlStoreContract;
import org.boomerang.provider.SiteId;
import org.boomerang.server.cli.BoomerangCommand;
import org.boomerang.server.cli.CommandLines;
import org.boomerang.store.jdbc.DatabaseConfig;
import org.boomerang.store.jdbc.JdbcControlStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServerBackupCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = CommandLines.create(new BoomerangCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void backupThenRestoreIntoAFreshDataDirectory() throws Exception {
        Path a = dir.resolve("a");
        ControlServerIdentity me = new ControlServerIdentity("cs-1", "10.0.0.5:8080", new SiteId("primary"), Instant.EPOCH);
        try (JdbcControlStore store = JdbcControlStore.open(DatabaseConfig.forDataDir(a))) {
            store.inventory().putIdentity(me);
            store.items().create(ControlStoreContract.sampleItem("web"));
        }
        Path file = dir.resolve("out/control.bkp");
        java.nio.file.Files.createDirectories(file.getParent());
        assertThat(run("server", "backup", "--data", a.toString(), "--to", file.toString(), "--output", "json")).isZero();
        assertThat(out.toString()).contains("\"rows\":2").contains(file.toString());
        assertThat(file).exists();

        Path b = dir.resolve("b");
        assertThat(run("server", "restore", "--data", b.toString(), "--from", file.toString())).isZero();
        assertThat(out.toString()).contains("restored 2 rows");
        try (JdbcControlStore store = JdbcControlStore.open(DatabaseConfig.forDataDir(b))) {
            assertThat(store.inventory().identity()).contains(me);
            assertThat(store.items().get(new ItemId("web"))).isPresent();
        }

        assertThat(run("server", "restore", "--data", b.toString(), "--from", file.toString())).isEqualTo(5);
        assertThat(err.toString()).contains("error: RESTORE_TARGET_NOT_EMPTY:");

        Path bad = dir.resolve("bad.bkp");
        Files.writeString(bad, Files.readString(file).replace("web", "wex"));
        assertThat(run("server", "restore", "--data", dir.resolve("c").toString(), "--from", bad.toString())).isEqualTo(7);
        assertThat(err.toString()).contains("error: BACKUP_CORRUPT:").contains("checksum");
        assertThat(dir.resolve("c")).as("a failed restore leaves nothing behind").doesNotExist();
    }

    @Test
    void theBackupCarriesTheApiTokensAndTheRestoreWritesThemPrivate() throws Exception {
        Path a = dir.resolve("a");
        try (JdbcControlStore store = JdbcControlStore.open(DatabaseConfig.forDataDir(a))) {
            store.inventory().putIdentity(new ControlServerIdentity("cs-1", "10.0.0.5:8080", new SiteId("primary"), Instant.EPOCH));
        }
        assertThat(run("server", "token", "create", "--data", a.toString(), "--role", "admin")).isZero();
        String token = out.toString().strip().lines().reduce((x, y) -> y).orElseThrow();
        Path file = dir.resolve("t.bkp");
        assertThat(run("server", "backup", "--data", a.toString(), "--to", file.toString())).isZero();
        assertThat(out.toString()).contains("with the API tokens");
        assertThat(Files.readString(file)).doesNotContain(token.substring(15));

        Path b = dir.resolve("b");
        assertThat(run("server", "restore", "--data", b.toString(), "--from", file.toString())).isZero();
        assertThat(Files.readString(b.resolve("api-tokens"))).isEqualTo(Files.readString(a.resolve("api-tokens")));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(b.resolve("api-tokens"))))
                .isEqualTo("rw-------");
        assertThat(new org.boomerang.api.auth.TokenStore(new org.boomerang.api.auth.TokenFile(b), org.boomerang.common.Clock.SYSTEM).list())
                .hasSize(1);
    }

    @Test
    void backupToAMissingFolderIsRefusedAndCreatesNothing() {
        Path a = dir.resolve("a");
        try (JdbcControlStore store = JdbcControlStore.open(DatabaseConfig.forDataDir(a))) {
            store.items().create(ControlStoreContract.sampleItem("web"));
        }
        Path missing = dir.resolve("no/such/folder/x.bkp");
        assertThat(run("server", "backup", "--data", a.toString(), "--to", missing.toString())).isEqualTo(4);
        assertThat(err.toString()).contains("error: BACKUP_FOLDER_NOT_FOUND: the folder").contains("mkdir");
        assertThat(dir.resolve("no")).doesNotExist();
    }

    @Test
    void aWrongDataDirectoryOrBackupFileIsNamed() {
        assertThat(run("server", "backup", "--data", dir.resolve("nowhere").toString())).isEqualTo(4);
        assertThat(err.toString()).contains("error: DATABASE_NOT_FOUND: there is no control database at");
        assertThat(dir.resolve("nowhere")).doesNotExist();
        assertThat(run("server", "restore", "--data", dir.resolve("b").toString(), "--from", dir.resolve("none.bkp").toString())).isEqualTo(4);
        assertThat(err.toString()).contains("error: BACKUP_NOT_FOUND: backup file");
    }

    @Test
    void defaultBackupGoesIntoTheDataDirectory() {
        Path a = dir.resolve("a");
        try (JdbcControlStore store = JdbcControlStore.open(DatabaseConfig.forDataDir(a))) {
            store.items().create(ControlStoreContract.sampleItem("web"));
        }
        assertThat(run("server", "backup", "--data", a.toString())).isZero();
        assertThat(out.toString()).startsWith("backup written: " + a.resolve("backups"));
    }
}
