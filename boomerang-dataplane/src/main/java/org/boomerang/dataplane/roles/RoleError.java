package org.boomerang.dataplane.roles;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/**
 * Stable error codes of the data-plane roles' start-up; the names appear in CLI output and logs. A bad
 * config file is refused by the common reader with its {@link org.boomerang.common.config.ConfigError}
 * codes ({@code CONFIG_*}), as the server's is.
 */
public enum RoleError implements ErrorCode {
    /** A role could not start: a port in use, a data directory it cannot use. */
    START_FAILED(ErrorType.EXTERNAL);

    private final ErrorType type;

    RoleError(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
