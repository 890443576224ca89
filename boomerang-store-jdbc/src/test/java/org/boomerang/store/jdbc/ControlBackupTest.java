package org.boomerang.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.boomerang.control.testing.TestingEstate.WEB1;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.ControlError;
import org.boomerang.control.failback.PointRequest;
import org.boomerang.control.inventory.ControlServerIdentity;
import org.boomerang.control.job.JobState;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.ItemState;
import org.boomerang.control.testing.TestingEstate;
import org.boomerang.testing.TestingClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FB-13: the control database is backed up on a schedule and restored into a fresh server, which can then fail back. */
class ControlBackupTest {
    @TempDir
    Path dir;

    @Test
    void aBackupRestoredIntoAFreshServerFailsBack() {
        Path backup = dir.resolve("backups/control.bkp");
        TestingEstate lost;
        ControlServerIdentity identity;
        try (JdbcControlStore store = JdbcControlStore.open(DatabaseConfig.forDataDir(dir.resolve("a")))) {
            lost = new TestingEstate(store);
            lost.reverseProtected("web", WEB1);
            identity = lost.server.inventory().identity();
            ControlBackup.Summary s = ControlBackup.write(store.database(), backup, lost.clock.now());
            assertThat(s.rows()).isPositive();
            lost.close();
        }
        // the control server and its disk are gone; a new one at the same address restores the backup
        try (Database fresh = Database.open(DatabaseConfig.forDataDir(dir.resolve("b")))) {
            ControlBackup.restore(backup, fresh);
        }
        try (JdbcControlStore store = JdbcControlStore.open(DatabaseConfig.forDataDir(dir.resolve("b")));
                TestingEstate restored = new TestingEstate(store, lost)) {
            assertThat(restored.server.inventory().identity()).isEqualTo(identity);
            assertThat(restored.item("web").state()).isEqualTo(ItemState.REVERSE_PROTECTED);
            restored.await(restored.server.protection().failover(new ItemId("web"), true, PointRequest.LATEST_PROCESSED), JobState.SUCCEEDED);
            assertThat(restored.item("web").state()).isEqualTo(ItemState.FAILED_BACK);
            assertThat(restored.commit("web").state()).isEqualTo(ItemState.COMMITTED_BACK);
        }
    }

    @Test
    void aSqliteBackupRestoresIntoPostgres() {
        DatabaseConfig pg = PgTestDatabase.freshSchema();
        try {
            Path backup = dir.resolve("control.bkp");
            try (JdbcControlStore store = JdbcControlStore.open(DatabaseConfig.forDataDir(dir));
                    TestingEstate estate = new TestingEstate(store)) {
                estate.reverseProtected("web", WEB1);
                ControlBackup.write(store.database(), backup, estate.clock.now());
                try (JdbcControlStore target = JdbcControlStore.open(pg)) {
                    ControlBackup.restore(backup, target.database());
                    assertThat(target.items().list()).containsExactlyElementsOf(store.items().list());
                    assertThat(target.jobs().list()).extracting(j -> j.id() + " " + j.state() + " " + j.request())
                            .containsExactlyElementsOf(store.jobs().list().stream().map(j -> j.id() + " " + j.state() + " " + j.request()).toList());
                    assertThat(target.inventory().identity()).isEqualTo(store.inventory().identity());
                }
            }
        } finally {
            PgTestDatabase.drop(pg);
        }
    }

    @Test
    void aVersion2BackupWithMachineKeyedAgentsRestoresWithoutThem() throws Exception {
        Path backup = dir.resolve("v3.bkp");
        try (JdbcControlStore store = JdbcControlStore.open(DatabaseConfig.forDataDir(dir.resolve("a")));
                TestingEstate estate = new TestingEstate(store)) {
            estate.protect("web", WEB1);
            assertThat(store.inventory().agents()).isNotEmpty();
            assertThat(store.inventory().managersSeen(TestingEstate.PRIMARY)).isNotEmpty();
            ControlBackup.write(store.database(), backup, estate.clock.now());
        }
        // the same backup as version 2 wrote it: schema 001, agents keyed by machine only, no manager sightings
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> lines = Files.readAllLines(backup);
        StringBuilder v2 = new StringBuilder(lines.getFirst().replace("\"version\":3", "\"version\":2").replace("\"schema\":\"002\"", "\"schema\":\"001\""))
                .append('\n');
        long rows = 0;
        int agents = 0;
        for (String line : lines.subList(1, lines.size() - 1)) {
            com.fasterxml.jackson.databind.JsonNode row = json.readTree(line);
            String table = row.path("table").asText();
            if (table.equals("manager_sightings")) {
                continue;
            }
            if (table.equals("agent_heartbeats")) {
                com.fasterxml.jackson.databind.node.ObjectNode old = json.createObjectNode().put("table", "agents");
                old.putArray("values").add(row.path("values").get(1).asText()).add(row.path("values").get(2).asText());
                line = json.writeValueAsString(old);
                agents++;
            }
            v2.append(line).append('\n');
            rows++;
        }
        assertThat(agents).isPositive();
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(v2.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        v2.append("{\"end\":true,\"rows\":").append(rows).append(",\"crc32c\":\"").append(String.format("%08x", crc.getValue())).append("\"}\n");
        Path old = dir.resolve("v2.bkp");
        Files.writeString(old, v2);
        try (JdbcControlStore target = JdbcControlStore.open(DatabaseConfig.forDataDir(dir.resolve("b")))) {
            ControlBackup.Summary s = ControlBackup.restore(old, target.database());
            assertThat(s.rows()).isEqualTo(rows);
            assertThat(target.items().list()).extracting(i -> i.id().value()).containsExactly("web");
            assertThat(target.inventory().agents()).as("agents report again; their old rows are not restored").isEmpty();
        }
    }

    @Test
    void aDamagedBackupIsRefusedAndNothingIsRestored() throws Exception {
        Path backup = dir.resolve("control.bkp");
        try (JdbcControlStore store = JdbcControlStore.open(DatabaseConfig.forDataDir(dir.resolve("a")));
                TestingEstate estate = new TestingEstate(store)) {
            estate.protect("web", WEB1);
            ControlBackup.write(store.database(), backup, estate.clock.now());
        }
        byte[] good = Files.readAllBytes(backup);
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x01;
        Path bad = dir.resolve("flipped.bkp");
        Files.write(bad, flipped);
        Path truncated = dir.resolve("truncated.bkp");
        Files.write(truncated, java.util.Arrays.copyOf(good, good.length - 40));
        try (Database target = Database.open(DatabaseConfig.forDataDir(dir.resolve("b")))) {
            for (Path damaged : List.of(bad, truncated)) {
                BoomerangException e = catchThrowableOfType(BoomerangException.class, () -> ControlBackup.restore(damaged, target));
                assertThat(e.code()).as(damaged.toString()).isEqualTo(ControlError.BACKUP_CORRUPT);
                assertThat(e.hint()).contains("nothing was restored");
            }
        }
        try (JdbcControlStore target = JdbcControlStore.open(DatabaseConfig.forDataDir(dir.resolve("b")))) {
            assertThat(target.inventory().identity()).isEmpty();
            assertThat(target.items().list()).isEmpty();
            // the good one restores, once
            ControlBackup.restore(backup, target.database());
            assertThat(target.items().list()).hasSize(1);
            BoomerangException again = catchThrowableOfType(BoomerangException.class, () -> ControlBackup.restore(backup, target.database()));
            assertThat(again.code()).isEqualTo(StoreError.RESTORE_TARGET_NOT_EMPTY);
        }
    }

    @Test
    void scheduledBackupsKeepTheNewest() throws Exception {
        TestingClock clock = new TestingClock();
        Path backups = dir.resolve("backups");
        try (JdbcControlStore store = JdbcControlStore.open(DatabaseConfig.forDataDir(dir));
                BackupScheduler scheduler = new BackupScheduler(store.database(), backups, 2, clock)) {
            for (int i = 0; i < 3; i++) {
                scheduler.backupNow();
                clock.advance(Duration.ofHours(1));
            }
            List<Path> kept = scheduler.backups();
            assertThat(kept).extracting(p -> p.getFileName().toString())
                    .containsExactly("control-20260101T010000Z.bkp", "control-20260101T020000Z.bkp");
            assertThat(ControlBackup.readChecked(kept.getLast())).isNotEmpty();

            scheduler.start(Duration.ofMillis(50));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (scheduler.backups().stream().noneMatch(p -> p.getFileName().toString().equals("control-20260101T030000Z.bkp"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(scheduler.backups()).extracting(p -> p.getFileName().toString()).contains("control-20260101T030000Z.bkp");
        }
    }
}
