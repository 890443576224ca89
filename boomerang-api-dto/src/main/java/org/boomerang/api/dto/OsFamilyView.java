package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * A guest's operating system family on the wire ({@code InventoryView.Machine.osFamily}), published as an enum in the OpenAPI document.
 *
 * <p>Values a newer server may add: the CLI reads one it does not know as {@link #UNKNOWN}. The
 * server never sends {@code UNKNOWN}.
 */
public enum OsFamilyView {
    WINDOWS,
    LINUX,
    /** Client side only: a value this client does not know (sent by a newer server). */
    @JsonEnumDefaultValue
    UNKNOWN
}
