package org.boomerang.dataplane.agent;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The RPO samples of one disk: for each acknowledgement from the master target, how long the newest
 * change it covers waited between leaving the agent's feed and being durable in the replica journal.
 * Published as a Micrometer timer with p50/p99 ({@code boomerang_agent_rpo_seconds}).
 */
final class RpoStats {
    private final Timer timer;

    RpoStats(String disk, MeterRegistry registry) {
        timer = Timer.builder("boomerang_agent_rpo").tag("disk", disk)
                .description("time from a change leaving the agent to its being durable at the master target")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram(false).register(registry);
    }

    void sample(long nanos) {
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    Timer timer() {
        return timer;
    }
}
