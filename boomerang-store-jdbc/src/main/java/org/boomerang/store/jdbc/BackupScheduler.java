package org.boomerang.store.jdbc;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;
import org.boomerang.control.ControlError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scheduled backups of the control database (FB-13): every {@code every}, a backup named
 * {@code control-YYYYMMDDTHHMMSSZ.bkp} in {@code dir}; only the newest {@code keep} are kept.
 * Owns its thread; {@link #close()} stops it. Thread-safe.
 */
public final class BackupScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackupScheduler.class);
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    static final String PREFIX = "control-";
    static final String SUFFIX = ".bkp";

    private final Database db;
    private final Path dir;
    private final int keep;
    private final Clock clock;
    private final java.util.Optional<Path> tokens;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("control-backup").factory());

    public BackupScheduler(Database db, Path dir, int keep, Clock clock) {
        this(db, dir, keep, clock, java.util.Optional.empty());
    }

    /** @param tokens the API token file to include in each backup, when it exists */
    public BackupScheduler(Database db, Path dir, int keep, Clock clock, java.util.Optional<Path> tokens) {
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.db = requireNonNull(db, "db is null");
        this.dir = requireNonNull(dir, "dir is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least one backup: " + keep);
        }
        this.keep = keep;
    }

    public void start(Duration every) {
        long ms = every.toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                backupNow();
            } catch (BoomerangException e) {
                if (!timer.isShutdown()) {
                    LOG.error("scheduled backup failed: {}", e.describe(), e);
                }
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Takes one backup now and prunes old ones; returns what was written. */
    public synchronized ControlBackup.Summary backupNow() {
        ControlBackup.Summary s = ControlBackup.write(db, dir.resolve(PREFIX + NAME.format(clock.now()) + SUFFIX), clock.now(), tokens);
        LOG.info("backup written: {} ({} rows)", s.file(), s.rows());
        prune();
        return s;
    }

    /** The backups in {@code dir}, oldest first. */
    public List<Path> backups() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(PREFIX) && p.getFileName().toString().endsWith(SUFFIX))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new BoomerangException(ControlError.BACKUP_FAILED, "cannot list backups in " + dir + ": " + e.getMessage(), "check the directory", e);
        }
    }

    private void prune() {
        List<Path> all = backups();
        for (int i = 0; i < all.size() - keep; i++) {
            try {
                Files.deleteIfExists(all.get(i));
            } catch (IOException e) {
                LOG.warn("could not delete old backup {}", all.get(i), e);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
