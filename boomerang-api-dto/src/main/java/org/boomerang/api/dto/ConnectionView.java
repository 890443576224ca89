package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * Whether the control server reaches a hypervisor manager, on the wire ({@code InventoryView.Manager.connection}, FB-22), published as an enum in the OpenAPI document.
 *
 * <p>Values a newer server may add: the CLI reads one it does not know as {@link #UNKNOWN}. The
 * server never sends {@code UNKNOWN}.
 */
public enum ConnectionView {
    CONNECTED,
    DISCONNECTED,
    /** Client side only: a value this client does not know (sent by a newer server). */
    @JsonEnumDefaultValue
    UNKNOWN
}
