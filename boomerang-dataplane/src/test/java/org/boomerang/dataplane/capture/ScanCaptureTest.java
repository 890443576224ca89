package org.boomerang.dataplane.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.common.DiskId;
import org.boomerang.common.MarkerKind;
import org.boomerang.dataplane.capture.CapturedChange.Mark;
import org.boomerang.dataplane.capture.CapturedChange.Write;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanCaptureTest {
    private static final int SIZE = 4 << 20;
    private static final int BLOCK = 64 << 10;

    @TempDir
    Path dir;

    private static ByteBuffer data(int seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return ByteBuffer.wrap(b);
    }

    @Test
    void scansShipOnlyChangedBlocksInsideAWindowThenAMarker() throws Exception {
        try (RawFileBlockDevice disk = RawFileBlockDevice.create(dir.resolve("d.img"), SIZE);
                ScanCapture scan = new ScanCapture(new DiskId("d"), disk, Duration.ZERO, BLOCK)) {
            disk.write(100_000, data(1, 300_000), false);
            TestingReplica replica = new TestingReplica(data(9, SIZE).array()); // a replica of unknown content
            assertThatThrownBy(() -> scan.poll(1, Duration.ZERO))
                    .isInstanceOfSatisfying(CaptureException.class, e -> assertThat(e.code()).isEqualTo(CaptureError.NOT_RESUMED));
            scan.resume(0);
            replica.drain(scan);
            assertThat(replica.bytes).isEqualTo(TestingReplica.read(disk));
            assertThat(replica.windows).isEqualTo(1);
            assertThat(replica.marks).isEqualTo(1);

            assertThat(scan.poll(1 << 20, Duration.ofMillis(50))).as("nothing changed: nothing sent").isEmpty();

            disk.write(5L * BLOCK + 10, data(2, 100), false);
            disk.write(40L * BLOCK, data(3, BLOCK), false);
            List<CapturedChange> all = new java.util.ArrayList<>();
            for (List<CapturedChange> b = scan.poll(1 << 20, Duration.ofSeconds(5)); !b.isEmpty(); b = scan.poll(1 << 20, Duration.ofMillis(50))) {
                all.addAll(b);
                b.forEach(replica::apply);
                scan.durableAtTarget(replica.durable);
            }
            assertThat(all.stream().filter(Write.class::isInstance)).hasSize(2);
            assertThat(all.getLast()).isInstanceOf(Mark.class);
            assertThat(replica.bytes).isEqualTo(TestingReplica.read(disk));
        }
    }

    @Test
    void aResumeInsideAWindowScansAgainstTheAcknowledgedBaseline() throws Exception {
        try (RawFileBlockDevice disk = RawFileBlockDevice.create(dir.resolve("d.img"), SIZE);
                ScanCapture scan = new ScanCapture(new DiskId("d"), disk, Duration.ZERO, BLOCK)) {
            TestingReplica replica = new TestingReplica(new byte[SIZE]);
            scan.resume(0);
            replica.drain(scan);
            disk.write(0, data(4, 3 * BLOCK), false);
            List<CapturedChange> part = scan.poll(BLOCK, Duration.ofSeconds(5)); // the window opens
            part.forEach(replica::apply);
            part = scan.poll(BLOCK, Duration.ZERO); // one block of three arrives, then the connection drops
            part.forEach(replica::apply);
            disk.write(10L * BLOCK, data(5, 100), false);
            scan.resume(replica.durable);
            replica.drain(scan);
            assertThat(replica.inWindow).isFalse();
            assertThat(replica.bytes).isEqualTo(TestingReplica.read(disk));
            assertThat(scan.mark(MarkerKind.CRASH, "", "manual")).isPresent();
            replica.drain(scan);
            assertThat(replica.marks).isEqualTo(3);
        }
    }
}
