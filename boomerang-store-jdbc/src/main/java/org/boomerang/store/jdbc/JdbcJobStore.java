package org.boomerang.store.jdbc;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.ControlError;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobId;
import org.boomerang.control.job.JobLease;
import org.boomerang.control.job.JobKind;
import org.boomerang.control.job.JobLogEntry;
import org.boomerang.control.job.JobState;
import org.boomerang.control.job.JobStep;
import org.boomerang.control.job.RequestId;
import org.boomerang.control.job.StepState;
import org.boomerang.control.store.JobStore;

/**
 * Jobs, steps and logs. Leases are one conditional UPDATE ({@code lease_owner}, {@code lease_until}
 * in epoch milliseconds, {@code lease_epoch}) whose times come from the database's clock in the SQL
 * itself ({@link #SQLITE_NOW}, {@link #POSTGRES_NOW}), never from a server's: the database's row
 * locking makes exactly one of several racing servers win, and servers with skewed clocks agree on
 * when a lease expires. Each acquisition sets {@code lease_epoch} one higher and returns it
 * ({@code RETURNING}, SQLite 3.35+ and PostgreSQL). Thread-safe.
 */
final class JdbcJobStore implements JobStore {
    /** SQLite's clock in epoch milliseconds ({@code 'now'} is fixed for the duration of one statement). */
    static final String SQLITE_NOW = "CAST(unixepoch('subsec') * 1000 AS INTEGER)";
    /** PostgreSQL's clock in epoch milliseconds (the statement's transaction start, as CURRENT_TIMESTAMP is). */
    static final String POSTGRES_NOW = "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";
    private static final String LIVE = "state_id NOT IN (?, ?, ?)";
    private static final String COLUMNS = "id, kind_id, state_id, parent_id, version, lease_owner, lease_until, cancel_requested, doc";
    private static final int LOG_APPEND_ATTEMPTS = 20;

    private final Statements sql;
    private final DocumentCodec codec;
    private final String now;

    JdbcJobStore(Statements sql, DocumentCodec codec, String now) {
        this.sql = requireNonNull(sql, "sql is null");
        this.codec = requireNonNull(codec, "codec is null");
        this.now = requireNonNull(now, "now is null");
    }

    @Override
    public boolean create(Job job) {
        return sql.update("INSERT INTO jobs (id, kind_id, target, state_id, parent_id, created_at, version, lease_owner, lease_until, "
                        + "cancel_requested, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                job.id().value(), job.kind().id(), job.request().target(), job.state().id(),
                job.parent().map(JobId::value).map(Object.class::cast).orElse(Statements.NULL_TEXT),
                job.createdAt().toEpochMilli(), job.version(),
                job.leaseOwner().map(Object.class::cast).orElse(Statements.NULL_TEXT),
                job.leaseUntil().map(Instant::toEpochMilli).map(Object.class::cast).orElse(Statements.NULL_LONG),
                job.cancelRequested() ? 1 : 0, doc(job)) == 1;
    }

    @Override
    public Optional<Job> get(JobId id) {
        return sql.one("SELECT " + COLUMNS + " FROM jobs WHERE id = ?", this::decode, id.value());
    }

    @Override
    public List<Job> list() {
        return sql.query("SELECT " + COLUMNS + " FROM jobs ORDER BY created_at DESC, id DESC", this::decode);
    }

    @Override
    public List<Job> children(JobId parent) {
        return sql.query("SELECT " + COLUMNS + " FROM jobs WHERE parent_id = ? ORDER BY created_at, id", this::decode, parent.value());
    }

    @Override
    public Job update(Job job) {
        int n = sql.update("UPDATE jobs SET state_id = ?, version = ?, doc = ? WHERE id = ? AND version = ?",
                job.state().id(), job.version() + 1, doc(job), job.id().value(), job.version());
        if (n == 0) {
            throw new BoomerangException(ControlError.CONCURRENT_UPDATE,
                    "job " + job.id() + " was changed by someone else (expected version " + job.version() + ")", "re-read the job and retry");
        }
        return get(job.id()).orElseThrow();
    }

    @Override
    public Optional<JobLease> acquireLease(JobId id, String owner, Duration length) {
        return sql.one("UPDATE jobs SET lease_owner = ?, lease_until = " + now + " + ?, lease_epoch = lease_epoch + 1 WHERE id = ? AND "
                        + LIVE + " AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < " + now + ") RETURNING lease_epoch, lease_until",
                rs -> lease(id, owner, rs), owner, length.toMillis(), id.value(), JobState.SUCCEEDED.id(), JobState.FAILED.id(),
                JobState.CANCELLED.id(), owner);
    }

    @Override
    public Optional<JobLease> seizeLease(JobId id, String owner, Duration length) {
        return sql.one("UPDATE jobs SET lease_owner = ?, lease_until = " + now + " + ?, lease_epoch = lease_epoch + 1 WHERE id = ? AND "
                        + LIVE + " RETURNING lease_epoch, lease_until",
                rs -> lease(id, owner, rs), owner, length.toMillis(), id.value(), JobState.SUCCEEDED.id(), JobState.FAILED.id(),
                JobState.CANCELLED.id());
    }

    @Override
    public Optional<JobLease> renewLease(JobLease lease, Duration length) {
        return sql.one("UPDATE jobs SET lease_until = " + now + " + ? WHERE id = ? AND lease_owner = ? AND lease_epoch = ? AND " + LIVE
                        + " RETURNING lease_epoch, lease_until",
                rs -> lease(lease.job(), lease.owner(), rs), length.toMillis(), lease.job().value(), lease.owner(), lease.epoch(),
                JobState.SUCCEEDED.id(), JobState.FAILED.id(), JobState.CANCELLED.id());
    }

    @Override
    public boolean holds(JobLease lease) {
        return sql.one("SELECT 1 FROM jobs WHERE id = ? AND lease_owner = ? AND lease_epoch = ? AND lease_until >= " + now,
                rs -> true, lease.job().value(), lease.owner(), lease.epoch()).isPresent();
    }

    @Override
    public void releaseLease(JobLease lease) {
        sql.update("UPDATE jobs SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ? AND lease_epoch = ?",
                lease.job().value(), lease.owner(), lease.epoch());
    }

    private static JobLease lease(JobId id, String owner, ResultSet rs) throws SQLException {
        return new JobLease(id, owner, rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)));
    }

    @Override
    public void requestCancel(JobId id) {
        sql.update("UPDATE jobs SET cancel_requested = 1 WHERE id = ?", id.value());
    }

    @Override
    public List<JobId> runnable(String owner) {
        return sql.query("SELECT id FROM jobs WHERE state_id IN (?, ?, ?) AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < "
                        + now + ") ORDER BY created_at, id", rs -> new JobId(rs.getString(1)),
                JobState.QUEUED.id(), JobState.RUNNING.id(), JobState.CANCELLING.id(), owner);
    }

    @Override
    public List<JobId> unfinished() {
        return sql.query("SELECT id FROM jobs WHERE state_id IN (?, ?, ?) ORDER BY created_at, id", rs -> new JobId(rs.getString(1)),
                JobState.QUEUED.id(), JobState.RUNNING.id(), JobState.CANCELLING.id());
    }

    @Override
    public List<JobStep> steps(JobId job) {
        return sql.query("SELECT step_index, name, request_id, state_id, detail, updated_at FROM job_steps WHERE job_id = ? "
                + "ORDER BY step_index", rs -> new JobStep(job, rs.getInt(1), rs.getString(2), RequestId.parse(rs.getString(3)),
                StepState.fromId(rs.getInt(4)), rs.getString(5), Instant.parse(rs.getString(6))), job.value());
    }

    @Override
    public void putStep(JobStep step) {
        sql.update("INSERT INTO job_steps (job_id, step_index, name, request_id, state_id, detail, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (job_id, step_index) DO UPDATE SET name = excluded.name, request_id = excluded.request_id, "
                        + "state_id = excluded.state_id, detail = excluded.detail, updated_at = excluded.updated_at",
                step.job().value(), step.index(), step.name(), step.requestId().text(), step.state().id(), step.detail(),
                step.updatedAt().toString());
    }

    @Override
    public void appendLog(JobId job, Instant at, String message) {
        for (int attempt = 0; attempt < LOG_APPEND_ATTEMPTS; attempt++) {
            int n = sql.update("INSERT INTO job_log (job_id, seq, at, message) SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ? FROM job_log "
                    + "WHERE job_id = ? ON CONFLICT (job_id, seq) DO NOTHING", job.value(), at.toString(), message, job.value());
            if (n == 1) {
                return;
            }
        }
        throw new BoomerangException(StoreError.DATABASE_UNAVAILABLE, "could not append to the log of job " + job,
                "too many concurrent writers; retry");
    }

    @Override
    public List<JobLogEntry> log(JobId job) {
        return sql.query("SELECT seq, at, message FROM job_log WHERE job_id = ? ORDER BY seq",
                rs -> new JobLogEntry(job, rs.getLong(1), Instant.parse(rs.getString(2)), rs.getString(3)), job.value());
    }

    private String doc(Job job) {
        return codec.write(new DocumentCodec.JobDocument(codec.tree(job.request()), job.progress(), job.error(), job.createdAt(),
                job.updatedAt(), job.restartOf()));
    }

    private Job decode(ResultSet rs) throws SQLException {
        JobKind kind = JobKind.fromId(rs.getInt(2));
        DocumentCodec.JobDocument d = codec.read(rs.getString(9), DocumentCodec.JobDocument.class);
        String parent = rs.getString(4);
        String owner = rs.getString(6);
        long until = rs.getLong(7);
        boolean hasUntil = !rs.wasNull();
        return new Job(new JobId(rs.getString(1)), codec.request(kind, d.request()), JobState.fromId(rs.getInt(3)), d.progress(),
                d.error(), d.createdAt(), d.updatedAt(), Optional.ofNullable(owner),
                hasUntil ? Optional.of(Instant.ofEpochMilli(until)) : Optional.empty(), rs.getInt(8) != 0,
                Optional.ofNullable(parent).map(JobId::new), d.restartOf(), rs.getLong(5));
    }
}
