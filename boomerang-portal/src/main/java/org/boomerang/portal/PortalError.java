package org.boomerang.portal;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/**
 * The stable error codes of the portal's own refusals (the control server's codes pass through
 * unchanged, so a page shows the same code and text as the API). A constant is never renamed.
 */
public enum PortalError implements ErrorCode {
    /** No session cookie, or one the server does not know (signed out, server restarted). */
    PORTAL_NOT_SIGNED_IN(ErrorType.FORBIDDEN),
    /** The session was idle too long or reached its maximum age. */
    PORTAL_SESSION_EXPIRED(ErrorType.FORBIDDEN),
    /** The token typed at sign-in is not valid (unknown, revoked or mistyped). */
    PORTAL_SIGN_IN_REFUSED(ErrorType.FORBIDDEN),
    /** A form that changes something came without the session's CSRF token, or with another one. */
    PORTAL_CSRF_REJECTED(ErrorType.FORBIDDEN),
    /** The signed-in token's role is below what the action needs (a reader's POST). */
    PORTAL_ROLE_TOO_LOW(ErrorType.FORBIDDEN),
    /** No page at this address. */
    PORTAL_PAGE_NOT_FOUND(ErrorType.NOT_FOUND),
    /** A form field is missing or has a value the action cannot use. */
    PORTAL_INVALID_FORM(ErrorType.USER_ERROR),
    /** A bug: an unexpected exception reached a page. */
    PORTAL_INTERNAL(ErrorType.INTERNAL);

    private final ErrorType type;

    PortalError(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
