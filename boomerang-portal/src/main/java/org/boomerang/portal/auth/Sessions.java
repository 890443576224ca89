package org.boomerang.portal.auth;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.boomerang.api.auth.StoredToken;
import org.boomerang.api.auth.TokenStore;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;
import org.boomerang.portal.PortalError;

/**
 * The portal's sessions, in memory: a server restart signs everyone out. A session is opened with
 * a valid API token of the control server's token store and ends when it has been idle for
 * {@code idle}, reached {@code maxAge}, was signed out, or its token was revoked (checked on every
 * request). Session ids and CSRF tokens are 32 random bytes each. Thread-safe.
 */
public final class Sessions {
    private static final int RANDOM_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TokenStore tokens;
    private final Clock clock;
    private final Duration idle;
    private final Duration maxAge;
    private final Map<String, Session> open = new ConcurrentHashMap<>();

    public Sessions(TokenStore tokens, Clock clock, Duration idle, Duration maxAge) {
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.idle = requireNonNull(idle, "idle is null");
        this.maxAge = requireNonNull(maxAge, "maxAge is null");
    }

    /** Signs in with the text of an API token; refuses anything the token store does not accept. */
    public Session signIn(String tokenText) {
        StoredToken token = tokens.verify(tokenText == null ? "" : tokenText.trim()).orElseThrow(() -> new BoomerangException(
                PortalError.PORTAL_SIGN_IN_REFUSED, "the API token is not valid (unknown, revoked or mistyped)",
                "paste the whole token (bmr_…); an admin creates one with 'boomerang server token create --role operator'"));
        Instant now = clock.now();
        dropExpired(now);
        Session s = new Session(randomText(), token.id(), token.hash(), token.role(), token.label(), randomText(), now, now);
        open.put(s.id(), s);
        return s;
    }

    /**
     * The live session with this id, touched; or the reason there is none:
     * {@link PortalError#PORTAL_NOT_SIGNED_IN} or {@link PortalError#PORTAL_SESSION_EXPIRED}.
     */
    public Session require(String id) {
        Session s = id == null ? null : open.get(id);
        if (s == null) {
            throw new BoomerangException(PortalError.PORTAL_NOT_SIGNED_IN, "you are not signed in", "sign in with an API token");
        }
        Instant now = clock.now();
        if (expired(s, now)) {
            open.remove(s.id());
            throw new BoomerangException(PortalError.PORTAL_SESSION_EXPIRED, "your session has expired",
                    "sign in again (sessions end after " + idle.toMinutes() + " idle minutes or " + maxAge.toHours() + " hours)");
        }
        if (!tokenStillValid(s)) {
            open.remove(s.id());
            throw new BoomerangException(PortalError.PORTAL_NOT_SIGNED_IN, "the API token of this session was revoked",
                    "sign in with a valid token");
        }
        Session touched = s.seenAt(now);
        open.put(s.id(), touched);
        return touched;
    }

    /** Ends a session (sign-out); unknown ids are ignored. */
    public void signOut(String id) {
        if (id != null) {
            open.remove(id);
        }
    }

    /** True when {@code presented} is this session's CSRF token (compared in constant time). */
    public static boolean csrfMatches(Session s, String presented) {
        return presented != null && MessageDigest.isEqual(s.csrf().getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    public int count() {
        return open.size();
    }

    /** 32 random bytes, base64url without padding. */
    public static String randomText() {
        byte[] b = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private boolean expired(Session s, Instant now) {
        return now.isAfter(s.lastSeen().plus(idle)) || now.isAfter(s.createdAt().plus(maxAge));
    }

    private boolean tokenStillValid(Session s) {
        return tokens.list().stream().anyMatch(t -> t.id().equals(s.tokenId()) && t.hash().equals(s.tokenHash()));
    }

    private void dropExpired(Instant now) {
        open.values().removeIf(s -> expired(s, now));
    }
}
