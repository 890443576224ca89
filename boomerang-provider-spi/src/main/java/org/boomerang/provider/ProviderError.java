package org.boomerang.provider;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/** Stable error codes a site provider raises (as {@code BoomerangException}). */
public enum ProviderError implements ErrorCode {
    PROVIDER_MACHINE_NOT_FOUND(ErrorType.NOT_FOUND),
    PROVIDER_HOST_NOT_FOUND(ErrorType.NOT_FOUND),
    PROVIDER_DATASTORE_NOT_FOUND(ErrorType.NOT_FOUND),
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
