package org.boomerang.dataplane.processserver;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicReference;
import org.boomerang.stream.StreamSender;

/**
 * The process server's meters of one disk: churn (bytes the guest wrote, as received), bytes received
 * and forwarded after compression (their ratio is the compression ratio), lag (records and cache bytes
 * not yet at the master target), cache use, reconnects to the master target.
 */
final class RelayStats {
    private final Counter rawBytes;
    private final Counter receivedBytes;
    private final Counter storedBytes;
    private final Counter records;
    private final AtomicReference<StreamSender.Stats> forward = new AtomicReference<>();

    RelayStats(String disk, MeterRegistry registry) {
        rawBytes = Counter.builder("boomerang_process_server_churn_bytes").tag("disk", disk).baseUnit("bytes")
                .description("bytes the guest wrote (before compression)").register(registry);
        receivedBytes = Counter.builder("boomerang_process_server_received_bytes").tag("disk", disk).baseUnit("bytes")
                .description("write payload bytes received from the agent").register(registry);
        storedBytes = Counter.builder("boomerang_process_server_compressed_bytes").tag("disk", disk).baseUnit("bytes")
                .description("write payload bytes after zstd, cached and forwarded").register(registry);
        records = Counter.builder("boomerang_process_server_records").tag("disk", disk).description("records received").register(registry);
    }

    /** The meters read from the relay itself. */
    void gauges(String disk, MeterRegistry registry, DiskRelay relay) {
        Gauge.builder("boomerang_process_server_cache_bytes", relay, r -> r.cache().usedBytes()).tag("disk", disk).baseUnit("bytes")
                .description("bytes in the on-disk cache").register(registry);
        Gauge.builder("boomerang_process_server_cache_limit_bytes", relay, r -> r.cache().maxBytes()).tag("disk", disk).baseUnit("bytes")
                .register(registry);
        Gauge.builder("boomerang_process_server_lag_records", relay, r -> Math.max(0, r.cache().lastLsn() - Math.max(0, r.targetDurable())))
                .tag("disk", disk).description("records received and not yet durable at the master target").register(registry);
        Gauge.builder("boomerang_process_server_target_durable_lsn", relay, DiskRelay::targetDurable).tag("disk", disk).register(registry);
        Gauge.builder("boomerang_process_server_compression_ratio", this, RelayStats::ratio).tag("disk", disk)
                .description("bytes written / bytes after compression").register(registry);
        FunctionCounter.builder("boomerang_process_server_reconnects", forward, f -> f.get() == null ? 0 : f.get().reconnects.get())
                .tag("disk", disk).description("reconnections to the master target").register(registry);
    }

    void recordIn(long raw, long received, long stored) {
        records.increment();
        rawBytes.increment(raw);
        receivedBytes.increment(received);
        storedBytes.increment(stored);
    }

    void bindForward(StreamSender.Stats stats) {
        forward.set(stats);
    }

    double ratio() {
        double stored = storedBytes.count();
        return stored == 0 ? 1.0 : rawBytes.count() / stored;
    }
}
