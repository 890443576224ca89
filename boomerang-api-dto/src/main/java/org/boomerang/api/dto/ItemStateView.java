package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An item's lifecycle state on the wire ({@code ItemView.state}): the lower-case, dashed labels of
 * SPEC §3, published as an enum in the OpenAPI document.
 *
 * <p>Values a newer server may add: a client must accept a state it does not know. The CLI reads it
 * as {@link #UNKNOWN} and goes by {@code allowedActions}, which the server computes. The server never
 * sends {@code UNKNOWN}.
 */
public enum ItemStateView {
    @JsonProperty("unprotected") UNPROTECTED,
    @JsonProperty("initial-sync") INITIAL_SYNC,
    @JsonProperty("protected") PROTECTED,
    @JsonProperty("test-running") TEST_RUNNING,
    @JsonProperty("failed-over") FAILED_OVER,
    @JsonProperty("committed") COMMITTED,
    @JsonProperty("reverse-sync") REVERSE_SYNC,
    @JsonProperty("reverse-protected") REVERSE_PROTECTED,
    @JsonProperty("failed-back") FAILED_BACK,
    @JsonProperty("committed-back") COMMITTED_BACK,
    /** Client side only: a state this client does not know (sent by a newer server). */
    @JsonEnumDefaultValue @JsonProperty("unknown") UNKNOWN;

    /** The wire value, e.g. {@code failed-over}: what tables print. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
