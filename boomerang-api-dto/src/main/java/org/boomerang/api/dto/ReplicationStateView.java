package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where an item's replication stands as the data plane measures it ({@code ReplicationView.state}),
 * published as an enum in the OpenAPI document: the first copy runs, every write reaches the replica,
 * the replica catches up, replication is stopped, or a role failed.
 *
 * <p>Values a newer server may add: the CLI reads one it does not know as {@link #UNKNOWN}. The server
 * never sends {@code UNKNOWN}.
 */
public enum ReplicationStateView {
    @JsonProperty("initial-sync") INITIAL_SYNC,
    @JsonProperty("protected") PROTECTED,
    @JsonProperty("catching-up") CATCHING_UP,
    @JsonProperty("paused") PAUSED,
    @JsonProperty("error") ERROR,
    /** Client side only: a state this client does not know (sent by a newer server). */
    @JsonEnumDefaultValue @JsonProperty("unknown") UNKNOWN;

    /** The wire value, e.g. {@code catching-up}: what tables print. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
