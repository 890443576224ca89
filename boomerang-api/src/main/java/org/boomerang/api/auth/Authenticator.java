package org.boomerang.api.auth;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.boomerang.api.Access;
import org.boomerang.api.ApiErrorCode;
import org.boomerang.api.dto.Role;
import org.boomerang.common.BoomerangException;

/**
 * Checks the {@code Authorization: Bearer <token>} header of a request against the route's
 * {@link Access}. Never logs and never echoes the presented token. Thread-safe.
 */
public final class Authenticator {
    private static final String BEARER = "Bearer ";
    private final TokenStore tokens;

    public Authenticator(TokenStore tokens) {
        this.tokens = requireNonNull(tokens, "tokens is null");
    }

    /**
     * The caller's token, or empty on a public route.
     *
     * @throws BoomerangException {@link ApiErrorCode#API_UNAUTHENTICATED} when the header is absent or
     *     the token unknown, {@link ApiErrorCode#API_ROLE_TOO_LOW} when its role is below the route's
     */
    public Optional<StoredToken> check(String authorizationHeader, Access access, String operation) {
        Optional<Role> needed = access.role();
        if (needed.isEmpty()) {
            return Optional.empty();
        }
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new BoomerangException(ApiErrorCode.API_UNAUTHENTICATED, "this route needs an API token",
                    "send 'Authorization: Bearer <token>' (CLI: --token or BOOMERANG_TOKEN); an admin creates one with 'boomerang server token create --role " + needed.get().label() + "'");
        }
        Optional<StoredToken> token = tokens.verify(authorizationHeader.substring(BEARER.length()).trim());
        if (token.isEmpty()) {
            throw new BoomerangException(ApiErrorCode.API_UNAUTHENTICATED, "the API token is not valid (unknown, revoked or mistyped)",
                    "ask an admin for a new token ('boomerang server token create --role " + needed.get().label() + "')");
        }
        if (!token.get().role().includes(needed.get())) {
            throw new BoomerangException(ApiErrorCode.API_ROLE_TOO_LOW,
                    operation + " needs the " + needed.get().label() + " role; token " + token.get().id() + " has " + token.get().role().label(),
                    "use a token with the " + needed.get().label() + " role");
        }
        return token;
    }
}
