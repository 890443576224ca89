package org.boomerang.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Encodes ids for URL paths and queries. */
final class UrlPaths {
    private UrlPaths() {}

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
