package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * A job's state on the wire ({@code JobView.state}), published as an enum in the OpenAPI document.
 *
 * <p>Values a newer server may add: a client must accept a state it does not know. The CLI reads it
 * as {@link #UNKNOWN} (Jackson's {@code READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE}) and treats the
 * job as not finished unless {@code terminal} says otherwise. The server never sends {@code UNKNOWN}.
 */
public enum JobStateView {
    QUEUED,
    RUNNING,
    WAITING_FOR_OPERATOR,
    CANCELLING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    /** Client side only: a state this client does not know (sent by a newer server). */
    @JsonEnumDefaultValue
    UNKNOWN
}
