package org.boomerang.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobLogEntry;
import org.boomerang.control.job.JobState;
import org.boomerang.control.job.JobStep;
import org.boomerang.control.job.RequestId;
import org.boomerang.control.job.StepState;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.ItemState;
import org.boomerang.control.protection.ProtectRequest;
import org.boomerang.control.testing.TestingEstate;
import org.boomerang.provider.MachineId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two control servers on one database: server A starts four enable jobs and stops in their initial
 * syncs; server B takes them over and finishes them. Each data-plane effect happens once.
 */
class ControlServerTakeoverTest {
    abstract static class Suite {
        private final List<AutoCloseable> open = new ArrayList<>();

        abstract DatabaseConfig config();

        @AfterEach
        void closeAll() throws Exception {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
            open.clear();
        }

        @Test
        void aSecondServerFinishesTheJobsOfAServerThatStopped() throws InterruptedException {
            DatabaseConfig config = config();
            JdbcControlStore storeA = JdbcControlStore.open(config);
            open.add(storeA);
            TestingEstate a = new TestingEstate(storeA, "server-a");
            CountDownLatch gate = new CountDownLatch(1);
            CountDownLatch inSync = new CountDownLatch(4);
            a.dataPlane.holdSyncs(gate);
            a.dataPlane.onSync(inSync::countDown);
            List<Job> jobs = new ArrayList<>();
            List<MachineId> machines = List.of(TestingEstate.WEB1, TestingEstate.DB1, TestingEstate.APP1, TestingEstate.PHYS1);
            for (MachineId m : machines) {
                jobs.add(a.server.protection().protect(new ProtectRequest(new ItemId("i-" + m), m, TestingEstate.PRIMARY,
                        TestingEstate.RECOVERY, TestingEstate.POLICY, Optional.empty(), Optional.of("ps-primary"))));
            }
            assertThat(inSync.await(30, TimeUnit.SECONDS)).as("all four jobs reached their sync").isTrue();
            a.close(); // server A stops in the middle of four syncs

            for (Job j : jobs) {
                Job left = storeA.jobs().get(j.id()).orElseThrow();
                assertThat(left.state()).isEqualTo(JobState.RUNNING);
                assertThat(left.leaseOwner()).isEmpty();
                assertThat(storeA.jobs().steps(j.id())).extracting(JobStep::state).containsExactly(StepState.DONE, StepState.STARTED);
            }

            gate.countDown();
            JdbcControlStore storeB = JdbcControlStore.open(config);
            open.add(storeB);
            try (TestingEstate b = TestingEstate.sharing(storeB, "server-b", a)) {
                for (Job j : jobs) {
                    b.await(j, JobState.SUCCEEDED);
                    assertThat(b.store.jobs().log(j.id())).extracting(JobLogEntry::message)
                            .anyMatch(m -> m.matches("resumed on server-b \\(lease epoch [2-9]\\d*\\)"));
                    assertThat(b.dataPlane.effects(RequestId.of(j.id(), 0))).isEqualTo(1);
                    assertThat(b.dataPlane.effects(RequestId.of(j.id(), 1))).isEqualTo(1);
                }
                for (MachineId m : machines) {
                    assertThat(b.item("i-" + m).state()).isEqualTo(ItemState.PROTECTED);
                }
                assertThat(b.dataPlane.syncs()).hasSize(machines.size());
            }
        }
    }

    @Nested
    class OnSqlite extends Suite {
        @TempDir
        Path dir;

        @Override
        DatabaseConfig config() {
            return DatabaseConfig.forDataDir(dir);
        }
    }

    @Nested
    class OnPostgres extends Suite {
        private DatabaseConfig config;

        @Override
        DatabaseConfig config() {
            config = PgTestDatabase.freshSchema();
            return config;
        }

        @AfterEach
        void dropSchema() throws Exception {
            closeAll();
            PgTestDatabase.drop(config);
        }
    }
}
