package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * What a machine is on the wire ({@code ItemView.kind}, {@code InventoryView.Machine.kind}): a
 * virtual machine or a physical server, published as an enum in the OpenAPI document.
 *
 * <p>Values a newer server may add: the CLI reads one it does not know as {@link #UNKNOWN}. The
 * server never sends {@code UNKNOWN}.
 */
public enum MachineKindView {
    VM,
    PHYSICAL,
    /** Client side only: a kind this client does not know (sent by a newer server). */
    @JsonEnumDefaultValue
    UNKNOWN
}
