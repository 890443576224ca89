package org.boomerang.provider;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a machine's agent behaves in an estate a provider can edit: whether it is installed, and how
 * long after each boot it first reports in (FB-21: a real agent needs up to 15 minutes).
 */
public record AgentSetup(boolean installed, Duration registersAfter) {
    public static final AgentSetup ABSENT = new AgentSetup(false, Duration.ZERO);
    public static final AgentSetup AT_ONCE = new AgentSetup(true, Duration.ZERO);

    public AgentSetup {
        requireNonNull(registersAfter, "registersAfter is null");
        if (registersAfter.isNegative()) {
            throw new IllegalArgumentException("registersAfter must not be negative: " + registersAfter);
        }
    }
}
