package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * A job step's state on the wire ({@code JobDetails.Step.state}), published as an enum in the
 * OpenAPI document: {@code STARTED} (running, or interrupted and to be replayed), {@code DONE},
 * {@code WAITING} (for an operator), {@code FAILED}, {@code COMPENSATED} (undone after a failure).
 *
 * <p>Values a newer server may add: the CLI reads one it does not know as {@link #UNKNOWN}. The
 * server never sends {@code UNKNOWN}.
 */
public enum StepStateView {
    STARTED,
    DONE,
    WAITING,
    FAILED,
    COMPENSATED,
    /** Client side only: a state this client does not know (sent by a newer server). */
    @JsonEnumDefaultValue
    UNKNOWN
}
