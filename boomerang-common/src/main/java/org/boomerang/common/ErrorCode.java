package org.boomerang.common;

/**
 * A stable error code. Each module declares its own enum implementing this interface
 * (Trino's {@code ErrorCodeSupplier}); the enum constant's name is the stable code that
 * appears in API errors, CLI output and logs, so a constant is never renamed once released.
 */
public interface ErrorCode {
    /** The stable code, e.g. {@code NBD_OFFSET_OUT_OF_RANGE} or {@code FB_8_ALR_ONLY_ON_VMFS}. */
    String name();

    ErrorType type();
}
