package org.boomerang.server.wiring;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/** Errors of parts of the control server that are not wired in this build yet. */
public enum WiringError implements ErrorCode {
    /** No site provider is configured for the site: the server's config has no {@code sites:} entry for it. */
    SITE_PROVIDER_UNAVAILABLE(ErrorType.EXTERNAL),
    /** The data plane is not connected to this control server yet. */
    DATA_PLANE_NOT_WIRED(ErrorType.EXTERNAL);

    private final ErrorType type;

    WiringError(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
