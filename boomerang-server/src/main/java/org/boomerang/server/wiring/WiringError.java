package org.boomerang.server.wiring;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/** Errors of the control server's wiring: what its configuration does not provide. */
public enum WiringError implements ErrorCode {
    /** No site provider is configured for the site: the server's config has no {@code sites:} entry for it. */
    SITE_PROVIDER_UNAVAILABLE(ErrorType.EXTERNAL);

    private final ErrorType type;

    WiringError(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
