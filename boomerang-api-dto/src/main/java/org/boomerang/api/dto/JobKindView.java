package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * What a job runs on the wire ({@code JobView.kind}): an operation of one item or of a recovery
 * plan (whose children are item jobs), published as an enum in the OpenAPI document.
 *
 * <p>Values a newer server may add: the CLI reads one it does not know as {@link #UNKNOWN} and shows
 * the job's {@code target} as it is. The server never sends {@code UNKNOWN}.
 */
public enum JobKindView {
    ITEM_OPERATION,
    PLAN_OPERATION,
    /** Client side only: a kind this client does not know (sent by a newer server). */
    @JsonEnumDefaultValue
    UNKNOWN
}
