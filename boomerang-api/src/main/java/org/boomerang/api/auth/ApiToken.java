package org.boomerang.api.auth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An API token as the caller holds it: {@code bmr_<id>_<secret>}. The id (10 lower-case hex
 * digits) finds the stored entry; the secret (32 random bytes, base64url without padding) proves
 * possession. The server stores only {@link #hash()}, the SHA-256 of the whole token text, and
 * never logs or prints the token except once, when it is created.
 *
 * <p>{@link #toString()} hides the secret so that a token that slips into a log line leaks nothing.
 */
public record ApiToken(String id, String secret) {
    private static final String PREFIX = "bmr_";
    private static final int ID_BYTES = 5;
    private static final int SECRET_BYTES = 32;
    private static final Pattern ID = Pattern.compile("[0-9a-f]{10}");
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public ApiToken {
        requireNonNull(id, "id is null");
        requireNonNull(secret, "secret is null");
        if (!ID.matcher(id).matches() || !SECRET.matcher(secret).matches()) {
            throw new IllegalArgumentException("not a Boomerang API token");
        }
    }

    /** A new random token. */
    public static ApiToken generate() {
        byte[] id = new byte[ID_BYTES];
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        return new ApiToken(HexFormat.of().formatHex(id), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** Parses the text a caller sent; empty when it is not shaped like a token. */
    public static Optional<ApiToken> parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = text.substring(PREFIX.length());
        int sep = rest.indexOf('_');
        if (sep < 0) {
            return Optional.empty();
        }
        String id = rest.substring(0, sep);
        String secret = rest.substring(sep + 1);
        if (!ID.matcher(id).matches() || !SECRET.matcher(secret).matches()) {
            return Optional.empty();
        }
        return Optional.of(new ApiToken(id, secret));
    }

    /** The text the caller sends as {@code Authorization: Bearer <text>}. */
    public String text() {
        return PREFIX + id + "_" + secret;
    }

    /** SHA-256 of {@link #text()}, lower-case hex: what the token file stores. */
    public String hash() {
        return sha256Hex(text());
    }

    static String sha256Hex(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return PREFIX + id + "_***";
    }
}
