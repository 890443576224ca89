package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An item operation on the wire ({@code ItemView.activeOperation}, {@code ItemView.allowedActions}):
 * the lower-case, dashed labels of SPEC §3, published as an enum in the OpenAPI document.
 *
 * <p>Values a newer server may add: a client must accept an operation it does not know; the CLI
 * reads it as {@link #UNKNOWN} and shows it as such. The server never sends {@code UNKNOWN}.
 */
public enum OperationView {
    @JsonProperty("enable") ENABLE,
    @JsonProperty("test-failover") TEST_FAILOVER,
    @JsonProperty("cleanup") CLEANUP,
    @JsonProperty("planned-failover") PLANNED_FAILOVER,
    @JsonProperty("unplanned-failover") UNPLANNED_FAILOVER,
    @JsonProperty("change-recovery-point") CHANGE_RECOVERY_POINT,
    @JsonProperty("commit") COMMIT,
    @JsonProperty("cancel-failover") CANCEL_FAILOVER,
    @JsonProperty("reprotect") REPROTECT,
    @JsonProperty("disable") DISABLE,
    /** Client side only: an operation this client does not know (sent by a newer server). */
    @JsonEnumDefaultValue @JsonProperty("unknown") UNKNOWN;

    /** The wire value, e.g. {@code planned-failover}: what tables print. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
