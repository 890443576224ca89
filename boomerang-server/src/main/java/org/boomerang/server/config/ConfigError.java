package org.boomerang.server.config;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/** Errors in the server's configuration. */
public enum ConfigError implements ErrorCode {
    CONFIG_UNREADABLE(ErrorType.USER_ERROR),
    CONFIG_UNKNOWN_KEY(ErrorType.USER_ERROR),
    CONFIG_INVALID_VALUE(ErrorType.USER_ERROR);

    private final ErrorType type;

    ConfigError(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
