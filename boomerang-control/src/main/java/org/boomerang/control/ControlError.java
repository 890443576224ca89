package org.boomerang.control;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/**
 * Stable error codes of the control server that are not failback rules (those are
 * {@link org.boomerang.control.failback.FailbackRule}). A constant is never renamed once released.
 */
public enum ControlError implements ErrorCode {
    ITEM_NOT_FOUND(ErrorType.NOT_FOUND),
    ITEM_ALREADY_PROTECTED(ErrorType.CONFLICT),
    MACHINE_NOT_FOUND(ErrorType.NOT_FOUND),
    SITE_NOT_FOUND(ErrorType.NOT_FOUND),
    POLICY_NOT_FOUND(ErrorType.NOT_FOUND),
    GROUP_NOT_FOUND(ErrorType.NOT_FOUND),
    PLAN_NOT_FOUND(ErrorType.NOT_FOUND),
    JOB_NOT_FOUND(ErrorType.NOT_FOUND),
    PROCESS_SERVER_NOT_FOUND(ErrorType.NOT_FOUND),
    /** The process server chosen for a reprotect did not answer a connection (seed step 1.2). */
    PROCESS_SERVER_UNREACHABLE(ErrorType.EXTERNAL),
    /** The process server chosen for a reprotect is not at the site the reverse stream leaves from (seed step 1.2). */
    PROCESS_SERVER_AT_WRONG_SITE(ErrorType.USER_ERROR),
    /** A Windows machine needs a Windows master target, a Linux machine a Linux one (seed step 1.2). */
    MASTER_TARGET_OS_MISMATCH(ErrorType.PRECONDITION),
    /** Members of a replication group are reprotected and failed back together, through one process server and master target. */
    GROUP_NOT_TOGETHER(ErrorType.PRECONDITION),
    POINT_NOT_FOUND(ErrorType.NOT_FOUND),
    /** The requested operation is not legal in the item's current state. */
    ILLEGAL_TRANSITION(ErrorType.PRECONDITION),
    /** Another operation holds the item (or another writer changed it first). */
    ITEM_BUSY(ErrorType.CONFLICT),
    /** Another operation of the same recovery plan is running. */
    PLAN_BUSY(ErrorType.CONFLICT),
    /** Another request changed the record first; re-read and retry. */
    CONCURRENT_UPDATE(ErrorType.CONFLICT),
    /** A write lost the race to concurrent writers on every attempt of its bounded backoff. */
    UPDATE_RETRIES_EXHAUSTED(ErrorType.CONFLICT),
    /** The machine is fenced after a failover: it must not be powered on or replicate. */
    MACHINE_FENCED(ErrorType.PRECONDITION),
    JOB_NOT_CANCELLABLE(ErrorType.PRECONDITION),
    JOB_NOT_WAITING(ErrorType.PRECONDITION),
    JOB_NOT_RESTARTABLE(ErrorType.PRECONDITION),
    STEP_FAILED(ErrorType.EXTERNAL),
    SCRIPT_FAILED(ErrorType.EXTERNAL),
    SCRIPT_TIMED_OUT(ErrorType.EXTERNAL),
    /** A plan script started by a server that stopped may still run where this server cannot stop it. */
    SCRIPT_MAY_STILL_RUN(ErrorType.EXTERNAL),
    INVALID_REQUEST(ErrorType.USER_ERROR),
    STORE_FAILED(ErrorType.EXTERNAL),
    BACKUP_CORRUPT(ErrorType.CORRUPTION),
    BACKUP_FAILED(ErrorType.EXTERNAL);

    private final ErrorType type;

    ControlError(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
