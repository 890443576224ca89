package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A recovery plan: ordered groups that run one after another; the items of a group run in
 * parallel, between the group's pre and post actions.
 */
public record PlanView(String id, String name, List<Group> groups) {
    /** One group of a plan. */
    public record Group(@JsonProperty(required = true) String name, @JsonProperty(required = true) List<String> items,
                        List<Action> pre, List<Action> post) {}

    /**
     * A pre or post action: {@code SCRIPT} runs {@code command} (argv; no shell unless it names one)
     * and fails the plan when it exits non-zero or outlives {@code timeoutSeconds}; {@code MANUAL}
     * pauses the plan's job until an operator resumes it, showing {@code instruction}.
     */
    public record Action(@JsonProperty(required = true) ActionType type, @Nullable List<String> command, @Nullable Long timeoutSeconds,
                         @Nullable String instruction) {}

    /** Script or manual. */
    public enum ActionType {
        SCRIPT,
        MANUAL
    }

    /** {@code PUT /api/v1/plans/{id}}: create or replace a plan. */
    public record Request(@JsonProperty(required = true) String name, @JsonProperty(required = true) List<Group> groups) {}
}
