package org.boomerang.api;

import java.util.regex.Pattern;
import org.boomerang.common.BoomerangException;

/**
 * The one grammar of the ids of named objects (items, plans, policies, groups, sites, process
 * servers, jobs, tokens), enforced by the API on every path parameter (but machine ids, which the
 * site providers mint) and on the {@code id} field of a request body:
 *
 * <pre>
 * id := [A-Za-z0-9] [A-Za-z0-9._-]{0,63}        (1 to 64 characters)
 * </pre>
 *
 * so an id is never empty, never {@code .} or {@code ..}, holds no {@code /}, space, quote, angle
 * bracket or control character, and fits in a URL path segment and a shell argument as it is.
 * Stateless.
 */
public final class IdGrammar {
    public static final int MAX_LENGTH = 64;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");
    private static final int SHOWN = 40;

    private IdGrammar() {}

    public static boolean valid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** Returns {@code id} when it follows the grammar; refuses it with {@code API_INVALID_ID} naming {@code where}. */
    public static String check(String where, String id) {
        if (!valid(id)) {
            throw new BoomerangException(ApiErrorCode.API_INVALID_ID,
                    "invalid id " + shown(id) + " in " + where + ": an id is 1 to " + MAX_LENGTH
                            + " characters, letters, digits, '.', '_' and '-', starting with a letter or digit",
                    "choose an id such as web-01 or shop.db_2");
        }
        return id;
    }

    /** The id as a message shows it: quoted, cut after a few characters, control characters escaped. */
    private static String shown(String id) {
        if (id == null) {
            return "(none)";
        }
        StringBuilder sb = new StringBuilder("'");
        id.codePoints().limit(SHOWN).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        sb.append('\'');
        if (id.length() > SHOWN) {
            sb.append("… (").append(id.length()).append(" characters)");
        }
        return sb.toString();
    }
}
