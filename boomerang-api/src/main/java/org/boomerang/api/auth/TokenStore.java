package org.boomerang.api.auth;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.boomerang.api.ApiErrorCode;
import org.boomerang.api.dto.Role;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;

/**
 * The tokens the API accepts, backed by a {@link TokenFile}. A token created by another process
 * ({@code boomerang server token create} while the server runs) is picked up on the next request:
 * the file is re-read whenever its modification time or size changed.
 *
 * <p>Thread-safe: every method is synchronized; verification compares hashes in constant time.
 */
public final class TokenStore {
    private final TokenFile file;
    private final Clock clock;
    private List<StoredToken> tokens = List.of();
    private FileTime loadedMtime;
    private long loadedSize = -1;

    public TokenStore(TokenFile file, Clock clock) {
        this.file = requireNonNull(file, "file is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Creates, stores and returns a new token; the caller shows its text once. */
    public synchronized Created create(Role role, String label) {
        requireNonNull(role, "role is null");
        reloadIfChanged();
        ApiToken token = ApiToken.generate();
        StoredToken stored = new StoredToken(token.id(), role, token.hash(), clock.now(), label == null ? "" : label);
        List<StoredToken> next = new ArrayList<>(tokens);
        next.add(stored);
        file.write(next);
        tokens = List.copyOf(next);
        remember();
        return new Created(token, stored);
    }

    /** The role of the token whose text is {@code presented}; empty for anything else. */
    public synchronized Optional<StoredToken> verify(String presented) {
        Optional<ApiToken> parsed = ApiToken.parse(presented);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        reloadIfChanged();
        byte[] hash = parsed.get().hash().getBytes(StandardCharsets.US_ASCII);
        for (StoredToken t : tokens) {
            if (t.id().equals(parsed.get().id()) && MessageDigest.isEqual(hash, t.hash().getBytes(StandardCharsets.US_ASCII))) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    public synchronized List<StoredToken> list() {
        reloadIfChanged();
        return tokens;
    }

    /** Removes the token with {@code id}; a request with it fails from then on. */
    public synchronized StoredToken revoke(String id) {
        reloadIfChanged();
        StoredToken found = tokens.stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> new BoomerangException(ApiErrorCode.API_TOKEN_NOT_FOUND, "no API token with id " + id,
                        "list the tokens with GET /api/v1/tokens"));
        List<StoredToken> next = new ArrayList<>(tokens);
        next.remove(found);
        file.write(next);
        tokens = List.copyOf(next);
        remember();
        return found;
    }

    private void reloadIfChanged() {
        FileTime mtime;
        long size;
        try {
            if (!Files.exists(file.path())) {
                tokens = List.of();
                loadedMtime = null;
                loadedSize = -1;
                return;
            }
            mtime = Files.getLastModifiedTime(file.path());
            size = Files.size(file.path());
        } catch (IOException e) {
            throw new BoomerangException(ApiErrorCode.API_TOKEN_FILE_IO, "cannot read the API token file " + file.path() + ": " + e.getMessage(),
                    "check the file's permissions", e);
        }
        if (!mtime.equals(loadedMtime) || size != loadedSize) {
            tokens = file.read();
            loadedMtime = mtime;
            loadedSize = size;
        }
    }

    private void remember() {
        try {
            loadedMtime = Files.getLastModifiedTime(file.path());
            loadedSize = Files.size(file.path());
        } catch (IOException e) {
            loadedMtime = null;
            loadedSize = -1;
        }
    }

    /** A token just created: the full token (shown once) and what was stored. */
    public record Created(ApiToken token, StoredToken stored) {}
}
