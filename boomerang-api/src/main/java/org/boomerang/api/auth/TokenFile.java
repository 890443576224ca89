package org.boomerang.api.auth;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.boomerang.api.ApiErrorCode;
import org.boomerang.api.dto.Role;
import org.boomerang.common.AtomicFile;
import org.boomerang.common.BoomerangException;

/**
 * Owner of the API token file, {@code <data>/api-tokens}: the hashes of the tokens the server
 * accepts. UTF-8 text, one entry per line:
 *
 * <pre>
 * file      := header entry*
 * header    := "boomerang-api-tokens 1" LF            ; magic and format version
 * entry     := id SP role SP hash SP created SP label LF
 * id        := 10 * [0-9a-f]                          ; the id part of bmr_&lt;id&gt;_&lt;secret&gt;
 * role      := "reader" | "operator" | "admin"
 * hash      := 64 * [0-9a-f]                          ; SHA-256 of the whole token text
 * created   := decimal seconds since the epoch (UTC)
 * label     := any characters except LF (may be empty; free text, e.g. who holds the token)
 * </pre>
 *
 * <p>Versions: 1 (this one). The file never holds a secret. It is replaced whole: written to
 * {@code api-tokens.tmp}, fsynced, renamed over the old file and the directory fsynced, so a
 * crash leaves either the old or the new list. Mode 0600 where the file system supports it.
 * A line that does not match the grammar fails the whole read with
 * {@link ApiErrorCode#API_TOKEN_FILE_CORRUPT}: the server refuses to guess which tokens are valid.
 *
 * <p>Not thread-safe; {@link TokenStore} serialises access.
 */
public final class TokenFile {
    public static final String FILE_NAME = "api-tokens";
    static final String HEADER = "boomerang-api-tokens 1";
    private static final Pattern ENTRY = Pattern.compile("([0-9a-f]{10}) (reader|operator|admin) ([0-9a-f]{64}) (\\d{1,19}) ?(.*)");

    private final Path path;

    public TokenFile(Path dataDir) {
        this.path = requireNonNull(dataDir, "dataDir is null").resolve(FILE_NAME);
    }

    public Path path() {
        return path;
    }

    /** The entries in file order; empty when the file does not exist yet. */
    public List<StoredToken> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new BoomerangException(ApiErrorCode.API_TOKEN_FILE_IO, "cannot read the API token file " + path + ": " + e.getMessage(),
                    "check the file's permissions and the data folder", e);
        }
        if (lines.isEmpty() || !lines.getFirst().equals(HEADER)) {
            throw corrupt(1, "the first line is not '" + HEADER + "'");
        }
        List<StoredToken> tokens = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            var m = ENTRY.matcher(lines.get(i));
            if (!m.matches()) {
                throw corrupt(i + 1, "the line does not match 'id role hash created label'");
            }
            tokens.add(new StoredToken(m.group(1), Role.parse(m.group(2)), m.group(3),
                    Instant.ofEpochSecond(Long.parseLong(m.group(4))), m.group(5)));
        }
        return List.copyOf(tokens);
    }

    /** Replaces the file with {@code tokens}, atomically and durably. */
    public void write(List<StoredToken> tokens) {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (StoredToken t : tokens) {
            String label = t.label().replace('\n', ' ').replace('\r', ' ');
            text.append(t.id()).append(' ').append(t.role().label()).append(' ').append(t.hash()).append(' ')
                    .append(t.createdAt().getEpochSecond()).append(' ').append(label).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        try {
            AtomicFile.write(path, PosixFilePermissions.fromString("rw-------"), out -> out.write(bytes));
        } catch (IOException e) {
            throw new BoomerangException(ApiErrorCode.API_TOKEN_FILE_IO, "cannot write the API token file " + path + ": " + e.getMessage(),
                    "check that the data folder exists and is writable", e);
        }
    }

    private BoomerangException corrupt(int line, String what) {
        return new BoomerangException(ApiErrorCode.API_TOKEN_FILE_CORRUPT, "the API token file " + path + " is damaged at line " + line + ": " + what,
                "restore it from a backup, or move it away and create new tokens with 'boomerang server token create'");
    }
}
