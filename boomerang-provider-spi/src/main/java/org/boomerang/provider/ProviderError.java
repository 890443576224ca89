package org.boomerang.provider;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/** Stable error codes a site provider raises (as {@code BoomerangException}). */
public enum ProviderError implements ErrorCode {
    PROVIDER_MACHINE_NOT_FOUND(ErrorType.NOT_FOUND),
    PROVIDER_HOST_NOT_FOUND(ErrorType.NOT_FOUND),
    PROVIDER_DATASTORE_NOT_FOUND(ErrorType.NOT_FOUND),
    PROVIDER_MANAGER_NOT_FOUND(ErrorType.NOT_FOUND),
    PROVIDER_DISK_NOT_FOUND(ErrorType.NOT_FOUND),
    /** The disk is attached to another machine: detach it there first. */
    PROVIDER_DISK_IN_USE(ErrorType.CONFLICT),
    /** The request contradicts the estate (e.g. a VM on a host its datastore cannot reach). */
    PROVIDER_INVALID_REQUEST(ErrorType.USER_ERROR),
    /** The site's estate cannot be changed through its provider (not a lab site). */
    PROVIDER_ESTATE_READ_ONLY(ErrorType.PRECONDITION),
    /** The estate file failed a check: nothing was changed. */
    PROVIDER_ESTATE_CORRUPT(ErrorType.CORRUPTION),
    PROVIDER_MANAGER_DISCONNECTED(ErrorType.EXTERNAL),
    PROVIDER_OPERATION_FAILED(ErrorType.EXTERNAL);

    private final ErrorType type;

    ProviderError(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
