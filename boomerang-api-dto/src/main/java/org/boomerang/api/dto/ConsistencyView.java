package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * A recovery point's consistency on the wire ({@code PointView.consistency}): {@code CRASH},
 * {@code APP} (application-consistent) or {@code GROUP} (one consistent cut across every member of a
 * replication group). A newer server may add values; clients read one they do not
 * know as {@link #UNKNOWN} and must not treat it as application-consistent.
 */
public enum ConsistencyView {
    CRASH,
    APP,
    GROUP,
    /** Client side only: a value this client does not know (sent by a newer server). */
    @JsonEnumDefaultValue
    UNKNOWN
}
