package org.boomerang.server.wiring;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.boomerang.common.Clock;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobId;
import org.boomerang.control.job.JobKind;
import org.boomerang.control.job.JobState;
import org.boomerang.control.dataplane.PairHealth;
import org.boomerang.control.protection.Health;
import org.boomerang.control.protection.ItemHealth;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.ItemState;
import org.boomerang.control.protection.ProtectedItem;
import org.boomerang.control.store.ControlStore;
import org.boomerang.store.jdbc.BackupScheduler;

/**
 * The control server's own Prometheus metrics, read from the database when {@code /metrics} is
 * scraped (at most once per {@link #REFRESH}):
 *
 * <pre>
 * boomerang_jobs{type,state}                      jobs by type (item-operation, plan-operation) and state
 * boomerang_job_duration_seconds{type,state}      a timer of finished jobs, created → ended
 * boomerang_items{state,health}                   protected items by lifecycle state and health
 * boomerang_backup_last_success_seconds           Unix time of the newest backup in DATA/backups (absent: NaN)
 * boomerang_item_rpo_seconds{item}                the measured RPO of each replicating item (from {@link #rpo}, every poll)
 * </pre>
 *
 * Thread-safe.
 */
public final class ControlMetrics implements MeterBinder {
    static final Duration REFRESH = Duration.ofSeconds(5);

    private final ControlStore store;
    private final BackupScheduler backups;
    private final Clock clock;
    private final Set<JobId> timed = new HashSet<>();
    private final Map<String, Timer> durations = new java.util.concurrent.ConcurrentHashMap<>();
    private Snapshot snapshot = new Snapshot(Map.of(), Map.of(), Instant.EPOCH);
    private volatile MultiGauge rpo;

    private record Snapshot(Map<JobKind, Map<JobState, Long>> jobs, Map<ItemState, Map<Health, Long>> items, Instant at) {}

    public ControlMetrics(ControlStore store, BackupScheduler backups, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.backups = requireNonNull(backups, "backups is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void bindTo(MeterRegistry r) {
        for (JobKind kind : JobKind.values()) {
            for (JobState state : JobState.values()) {
                if (state.isTerminal()) {
                    durations.put(kind + "/" + state, Timer.builder("boomerang.job.duration").description("Finished jobs, from request to end")
                            .tag("type", label(kind)).tag("state", label(state)).register(r));
                }
                Gauge.builder("boomerang.jobs", () -> current().jobs().getOrDefault(kind, Map.of()).getOrDefault(state, 0L))
                        .description("Jobs by type and state").tag("type", label(kind)).tag("state", label(state)).register(r);
            }
        }
        for (ItemState state : ItemState.values()) {
            for (Health health : Health.values()) {
                Gauge.builder("boomerang.items", () -> current().items().getOrDefault(state, Map.of()).getOrDefault(health, 0L))
                        .description("Protected items by state and health").tag("state", state.label()).tag("health", label(health)).register(r);
            }
        }
        rpo = MultiGauge.builder("boomerang.item.rpo").baseUnit("seconds")
                .description("The measured RPO of each replicating item").register(r);
        Gauge.builder("boomerang.backup.last.success", this::lastBackup).baseUnit("seconds")
                .description("Unix time of the newest backup of the control database").register(r);
    }

    /** Exports the measured RPO of every item that has one (an item without one, or gone, drops its series). */
    public void rpo(Map<ItemId, ItemHealth> health) {
        MultiGauge g = rpo;
        if (g == null) {
            return;
        }
        List<MultiGauge.Row<?>> rows = new java.util.ArrayList<>();
        health.forEach((item, h) -> h.replication().flatMap(PairHealth::rpo)
                .ifPresent(d -> rows.add(MultiGauge.Row.of(Tags.of("item", item.value()), d.toNanos() / 1e9))));
        g.register(rows, true);
    }

    private double lastBackup() {
        List<Path> all = backups.backups();
        if (all.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Files.getLastModifiedTime(all.getLast()).toMillis() / 1000.0;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private synchronized Snapshot current() {
        if (Duration.between(snapshot.at(), clock.now()).compareTo(REFRESH) < 0) {
            return snapshot;
        }
        Map<JobKind, Map<JobState, Long>> jobs = new EnumMap<>(JobKind.class);
        for (Job job : store.jobs().list()) {
            jobs.computeIfAbsent(job.kind(), k -> new EnumMap<>(JobState.class)).merge(job.state(), 1L, Long::sum);
            if (job.state().isTerminal() && timed.add(job.id())) {
                durations.get(job.kind() + "/" + job.state()).record(Duration.between(job.createdAt(), job.updatedAt()));
            }
        }
        Map<ItemState, Map<Health, Long>> items = new EnumMap<>(ItemState.class);
        for (ProtectedItem item : store.items().list()) {
            items.computeIfAbsent(item.state(), k -> new EnumMap<>(Health.class)).merge(item.health(), 1L, Long::sum);
        }
        snapshot = new Snapshot(jobs, items, clock.now());
        return snapshot;
    }

    private static String label(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
