package org.boomerang.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress display: a throttled bar redrawn in place on a terminal, one line per 10 % elsewhere, rates from a test clock. */
class ByteProgressTest {
    private static final long TOTAL = 64L << 20;

    @Test
    void plainLinesComeOncePerTenPercentWithTheRate() {
        StringWriter text = new StringWriter();
        AtomicLong now = new AtomicLong(0);
        ByteProgress p = new ByteProgress(new PrintWriter(text), "digest lin1-disk0", TOTAL, false, now::get);
        for (long done = 1L << 20; done <= TOTAL; done += 1L << 20) {
            now.addAndGet(31_250_000); // 1 MiB per 31.25 ms: 32 MiB/s
            p.update(done);
        }
        p.finish();
        String[] lines = text.toString().split("\n");
        assertThat(lines).hasSize(12); // the first update, 10 %, 20 % … 100 % and the final line
        assertThat(lines[0]).startsWith("digest lin1-disk0: 1% ");
        assertThat(lines[1]).startsWith("digest lin1-disk0: 10% ");
        assertThat(lines[10]).isEqualTo("digest lin1-disk0: 100% 64.0 MiB / 64.0 MiB 32.0 MiB/s");
        assertThat(lines[11]).isEqualTo("digest lin1-disk0 done: 64.0 MiB in 2.00 s (32.0 MiB/s)");
        assertThat(text.toString()).doesNotContain("\r");
    }

    @Test
    void onATerminalTheBarIsRedrawnInPlaceAtMostEvery100Ms() {
        StringWriter text = new StringWriter();
        AtomicLong now = new AtomicLong(0);
        ByteProgress p = new ByteProgress(new PrintWriter(text), "sync", TOTAL, true, now::get);
        for (int i = 1; i <= 64; i++) {
            now.addAndGet(10_000_000); // 10 ms per MiB
            p.update((long) i << 20);
        }
        p.finish();
        String out = text.toString();
        long redraws = out.chars().filter(c -> c == '\r').count();
        assertThat(redraws).as("64 updates over 640 ms: the first, then one per 100 ms, and the final one").isBetween(6L, 9L);
        assertThat(out).endsWith("[##############################] 100%  64.0 MiB / 64.0 MiB  100.0 MiB/s  sync\n");
        assertThat(p.render(now.get())).startsWith("[##############################] 100%");
    }
}
