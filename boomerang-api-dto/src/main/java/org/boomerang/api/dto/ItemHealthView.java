package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * An item's replication health on the wire ({@code ItemView.health}, FB-12: failback needs
 * {@code OK}), published as an enum in the OpenAPI document.
 *
 * <p>Values a newer server may add: the CLI reads one it does not know as {@link #UNKNOWN} and never
 * treats it as {@code OK}. The server never sends {@code UNKNOWN}.
 */
public enum ItemHealthView {
    OK,
    WARNING,
    CRITICAL,
    /** Client side only: a health this client does not know (sent by a newer server). */
    @JsonEnumDefaultValue
    UNKNOWN
}
