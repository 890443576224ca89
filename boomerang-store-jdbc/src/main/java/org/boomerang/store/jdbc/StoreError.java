package org.boomerang.store.jdbc;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/** Stable error codes of the JDBC store. */
public enum StoreError implements ErrorCode {
    /** The database could not be reached or a statement failed. */
    DATABASE_UNAVAILABLE(ErrorType.EXTERNAL),
    /** The database URL or options are wrong. */
    DATABASE_CONFIG_INVALID(ErrorType.USER_ERROR),
    /** A stored document could not be read back. */
    DOCUMENT_CORRUPT(ErrorType.CORRUPTION),
    /** There is no control database where one was expected (a wrong data directory?). */
    DATABASE_NOT_FOUND(ErrorType.NOT_FOUND),
    /** The backup file named does not exist. */
    BACKUP_NOT_FOUND(ErrorType.NOT_FOUND),
    /** A restore was asked into a database that already holds a control server. */
    /** {@code server backup --to} names a file in a folder that does not exist. */
    BACKUP_FOLDER_NOT_FOUND(ErrorType.NOT_FOUND),
    RESTORE_TARGET_NOT_EMPTY(ErrorType.PRECONDITION);

    private final ErrorType type;

    StoreError(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
