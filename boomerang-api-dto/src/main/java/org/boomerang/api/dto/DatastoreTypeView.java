package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * A datastore's type on the wire ({@code InventoryView.Datastore.type}; FB-8: alternate-location recovery only onto VMFS), published as an enum in the OpenAPI document.
 *
 * <p>Values a newer server may add: the CLI reads one it does not know as {@link #UNKNOWN}. The
 * server never sends {@code UNKNOWN}.
 */
public enum DatastoreTypeView {
    VMFS,
    VSAN,
    RDM,
    NFS,
    /** Client side only: a value this client does not know (sent by a newer server). */
    @JsonEnumDefaultValue
    UNKNOWN
}
