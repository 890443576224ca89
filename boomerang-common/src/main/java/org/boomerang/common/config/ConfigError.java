package org.boomerang.common.config;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/** Errors in a configuration file read by {@link ConfigReader}. */
public enum ConfigError implements ErrorCode {
    /** The file cannot be read (missing, no permission). */
    CONFIG_UNREADABLE(ErrorType.USER_ERROR),
    /** The file is not well-formed YAML or JSON. */
    CONFIG_MALFORMED(ErrorType.USER_ERROR),
    /** A key the configuration does not have (often a typo). */
    CONFIG_UNKNOWN_KEY(ErrorType.USER_ERROR),
    /** A key that has no default is absent. */
    CONFIG_MISSING_KEY(ErrorType.USER_ERROR),
    /** A value of the wrong type or out of range. */
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
