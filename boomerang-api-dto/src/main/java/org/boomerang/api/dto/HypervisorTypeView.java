package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * What manages a host on the wire ({@code InventoryView.Manager.type}, {@code InventoryView.Host.type}), published as an enum in the OpenAPI document.
 *
 * <p>Values a newer server may add: the CLI reads one it does not know as {@link #UNKNOWN}. The
 * server never sends {@code UNKNOWN}.
 */
public enum HypervisorTypeView {
    VMWARE,
    HYPER_V,
    CLOUD,
    /** Client side only: a value this client does not know (sent by a newer server). */
    @JsonEnumDefaultValue
    UNKNOWN
}
