package org.boomerang.dataplane.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.dataplane.capture.CapturedChange.Mark;
import org.boomerang.dataplane.capture.CapturedChange.Trim;
import org.boomerang.dataplane.capture.CapturedChange.WindowClose;
import org.boomerang.dataplane.capture.CapturedChange.WindowOpen;
import org.boomerang.dataplane.capture.CapturedChange.Write;
import org.boomerang.dataplane.capture.CapturedChange.Zero;

/**
 * The receiving end of a feed in memory, standing in for the stream and the master target: applies changes
 * in LSN order to a copy of the disk, checks the feed's protocol (consecutive LSNs, no marker inside a
 * window) and, at each marker the test registered a snapshot for, that the replica equals it.
 */
final class TestingReplica {
    final byte[] bytes;
    long durable;
    boolean inWindow;
    int windows;
    int marks;
    final List<String> markersChecked = new ArrayList<>();
    private final Map<String, byte[]> snapshots = new HashMap<>();

    TestingReplica(byte[] initial) {
        this.bytes = initial.clone();
    }

    static TestingReplica ofDevice(BlockDevice device) throws IOException {
        return new TestingReplica(read(device));
    }

    static byte[] read(BlockDevice device) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) device.size());
        device.read(0, b);
        return b.array();
    }

    synchronized void expectAtMark(String pointId, byte[] snapshot) {
        snapshots.put(pointId, snapshot);
    }

    synchronized void apply(CapturedChange c) {
        assertThat(c.lsn()).as("LSNs are consecutive").isEqualTo(durable + 1);
        switch (c) {
            case Write w -> {
                ByteBuffer d = w.data().duplicate();
                d.get(bytes, (int) w.offset(), d.remaining());
            }
            case Trim t -> Arrays.fill(bytes, (int) t.offset(), (int) (t.offset() + t.length()), (byte) 0);
            case Zero z -> Arrays.fill(bytes, (int) z.offset(), (int) (z.offset() + z.length()), (byte) 0);
            case Mark m -> {
                assertThat(inWindow).as("no marker inside a window (lsn %d)", m.lsn()).isFalse();
                marks++;
                byte[] expected = snapshots.remove(m.marker().pointId());
                if (expected != null) {
                    assertThat(Arrays.equals(bytes, expected)).as("replica at marker lsn %d equals the snapshot", m.lsn()).isTrue();
                    markersChecked.add(m.marker().pointId());
                }
            }
            case WindowOpen o -> {
                inWindow = true;
                windows++;
            }
            case WindowClose cl -> {
                assertThat(inWindow).as("a close follows an open").isTrue();
                inWindow = false;
            }
        }
        durable = c.lsn();
    }

    /** Polls and applies until the feed has nothing more within a short wait; acknowledges as it goes. */
    int drain(ChangeFeed feed) throws Exception {
        int n = 0;
        while (true) {
            List<CapturedChange> batch = feed.poll(4 << 20, Duration.ofMillis(50));
            if (batch.isEmpty()) {
                return n;
            }
            for (CapturedChange c : batch) {
                apply(c);
            }
            n += batch.size();
            feed.released(durable);
            feed.durableAtTarget(durable);
        }
    }
}
