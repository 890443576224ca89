package org.boomerang.blockdev;

import org.boomerang.common.BoomerangException;

/** A refused or failed block-device request; nothing was changed when the code is a user error. */
public class BlockDeviceException extends BoomerangException {
    public BlockDeviceException(BlockDeviceError code, String message, String hint) {
        super(code, message, hint);
    }

    public BlockDeviceException(BlockDeviceError code, String message, String hint, Throwable cause) {
        super(code, message, hint, cause);
    }

    @Override
    public BlockDeviceError code() {
        return (BlockDeviceError) super.code();
    }
}
