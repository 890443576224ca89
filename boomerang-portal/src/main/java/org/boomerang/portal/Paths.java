package org.boomerang.portal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The portal's addresses. Stateless. */
final class Paths {
    private Paths() {}

    /** One path segment, percent-encoded (spaces as {@code %20}, never {@code +}). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A query parameter value, percent-encoded. */
    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String item(String id) {
        return "/items/" + segment(id);
    }

    static String job(String id) {
        return "/jobs/" + segment(id);
    }

    static String plan(String id) {
        return "/plans/" + segment(id);
    }

    /** A local path to return to after sign-in; anything else (another host, a scheme) becomes {@code /items}. */
    static String localOrItems(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\") || next.startsWith("/login")) {
            return "/items";
        }
        return next;
    }
}
