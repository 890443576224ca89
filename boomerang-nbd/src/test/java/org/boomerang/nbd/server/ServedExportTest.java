package org.boomerang.nbd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.nbd.codec.NbdError;
import org.boomerang.nbd.codec.NbdProtocolException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admission rules of one export: overlapping mutations one at a time, swaps under a pause, retirement. */
class ServedExportTest {
    private static final int SIZE = 1 << 20;

    @TempDir
    Path dir;

    private RawFileBlockDevice a;
    private RawFileBlockDevice b;
    private ServedExport export;
    /** Its own threads: the common pool may have a single one on a small machine, and these tasks block. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void open() throws Exception {
        a = RawFileBlockDevice.create(dir.resolve("a.img"), SIZE);
        b = RawFileBlockDevice.create(dir.resolve("b.img"), SIZE);
        export = new ServedExport(new NbdExport("d", a, ""));
    }

    @AfterEach
    void close() throws Exception {
        threads.shutdownNow();
        a.close();
        b.close();
    }

    @Test
    void overlappingMutationsWaitForEachOtherAndDisjointOnesDoNot() throws Exception {
        ServedExport.Mutation first = export.tryBeginMutation(4096, 4096);
        assertThat(first).isNotNull();
        assertThat(first.device()).isSameAs(a);
        assertThat(export.tryBeginMutation(8191, 1)).as("overlaps the last byte").isNull();
        assertThat(export.tryBeginMutation(0, 4097)).as("overlaps the first byte").isNull();
        ServedExport.Mutation before = export.tryBeginMutation(0, 4096);
        ServedExport.Mutation after = export.tryBeginMutation(8192, 4096);
        ServedExport.Mutation flush = export.tryBeginMutation(0, 0);
        assertThat(before).as("ends where the first starts").isNotNull();
        assertThat(after).as("starts where the first ends").isNotNull();
        assertThat(flush).as("a flush overlaps nothing").isNotNull();

        CompletableFuture<ServedExport.Mutation> waiter = CompletableFuture.supplyAsync(() -> export.beginMutation(6000, 10), threads);
        assertThat(waiter).as("waits while the overlapping mutation runs").isNotDone();
        export.endMutation(before);
        export.endMutation(after);
        export.endMutation(flush);
        export.endMutation(first);
        ServedExport.Mutation admitted = waiter.get(10, TimeUnit.SECONDS);
        assertThat(admitted.device()).isSameAs(a);
        assertThat(export.tryBeginMutation(6009, 1)).isNull();
        export.endMutation(admitted);
        assertThat(export.tryBeginMutation(6009, 1)).isNotNull();
    }

    @Test
    void aSwapWaitsForRunningMutationsPausesNewOnesAndTheyRunOnTheNewDevice() throws Exception {
        ServedExport.Mutation running = export.beginMutation(0, 4096);
        ServedExport.Generation reading = export.beginRead();
        CountDownLatch stepRan = new CountDownLatch(1);
        CompletableFuture<Object> swap = CompletableFuture.supplyAsync(() -> {
            try {
                return export.swap(old -> {
                    assertThat(old).isSameAs(a);
                    stepRan.countDown();
                    return b;
                });
            } catch (Exception e) {
                return e;
            }
        }, threads);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        ServedExport.Mutation probe;
        while ((probe = export.tryBeginMutation(SIZE - 1, 1)) != null && System.nanoTime() < deadline) {
            export.endMutation(probe); // the swap has not paused the export yet
            Thread.sleep(1);
        }
        assertThat(probe).as("a disjoint mutation must wait once the swap has paused the export").isNull();
        assertThat(stepRan.getCount()).as("the step waits for the running mutation").isEqualTo(1);
        CompletableFuture<ServedExport.Mutation> paused = CompletableFuture.supplyAsync(() -> export.beginMutation(SIZE - 1, 1), threads);
        export.endMutation(running);
        assertThat(stepRan.await(20, TimeUnit.SECONDS)).isTrue();
        ServedExport.Mutation resumed = paused.get(20, TimeUnit.SECONDS);
        assertThat(resumed.device()).as("a mutation paused by the swap runs on the new device").isSameAs(b);
        assertThat(swap).as("the swap waits for the read still running on the old device").isNotDone();
        export.endRead(reading);
        assertThat(swap.get(20, TimeUnit.SECONDS)).isSameAs(a);
        export.endMutation(resumed);
        ServedExport.Generation after = export.beginRead();
        assertThat(after.device()).isSameAs(b);
        export.endRead(after);
    }

    @Test
    void aSwapToADeviceOfAnotherSizeIsRefusedAndTheExportKeepsItsDevice() throws Exception {
        try (RawFileBlockDevice small = RawFileBlockDevice.create(dir.resolve("small.img"), SIZE / 2)) {
            assertThatThrownBy(() -> export.swap(old -> small)).isInstanceOfSatisfying(NbdProtocolException.class,
                    e -> assertThat(e.code()).isEqualTo(NbdError.BAD_EXPORT_CONFIG));
            ServedExport.Mutation m = export.tryBeginMutation(0, 1);
            assertThat(m).as("not left paused").isNotNull();
            assertThat(m.device()).isSameAs(a);
            export.endMutation(m);
        }
    }

    @Test
    void aRetiredExportRefusesLaterRequestsAndWakesTheWaitingOnes() throws Exception {
        ServedExport.Mutation running = export.beginMutation(0, 4096);
        CompletableFuture<ServedExport.Mutation> waiting = CompletableFuture.supplyAsync(() -> export.beginMutation(0, 1), threads);
        CompletableFuture<Object> retire = CompletableFuture.supplyAsync(() -> {
            try {
                return export.retire();
            } catch (Exception e) {
                return e;
            }
        }, threads);
        assertThat(waiting.get(20, TimeUnit.SECONDS)).isSameAs(ServedExport.Mutation.GONE);
        assertThat(retire).as("the running mutation finishes first").isNotDone();
        export.endMutation(running);
        assertThat(retire.get(20, TimeUnit.SECONDS)).isSameAs(a);
        assertThat(export.retired()).isTrue();
        assertThat(export.tryBeginMutation(8192, 1)).isSameAs(ServedExport.Mutation.GONE);
        assertThat(export.beginRead()).isNull();
        assertThat(export.retire()).as("idempotent").isNull();
        assertThatThrownBy(() -> export.swap(old -> b)).isInstanceOfSatisfying(NbdProtocolException.class,
                e -> assertThat(e.code()).isEqualTo(NbdError.EXPORT_REMOVED));
    }
}
