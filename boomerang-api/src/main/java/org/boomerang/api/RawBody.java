package org.boomerang.api;

import static java.util.Objects.requireNonNull;

/**
 * A handler result that {@link ApiServer} writes as-is with its content type (the OpenAPI document,
 * Prometheus text) instead of rendering it as JSON. Its own type, so that route groups return it
 * without depending on the server class that mounts them.
 */
public record RawBody(String contentType, String text) {
    public RawBody {
        requireNonNull(contentType, "contentType is null");
        requireNonNull(text, "text is null");
    }
}
