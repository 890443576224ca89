package org.boomerang.control.job;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The identity of one effect a job step asks of another system (the data plane, a site provider, a
 * script): every replay of the step passes an equal id and so gets the same outcome, never a second
 * effect. {@code step} is the step's index in its job; {@code phase} tells the step's run from its
 * compensation; {@code part} names a second effect within one run (e.g. {@code close}).
 *
 * <p>Its text form {@code <job>:<step>[:undo][:<part>]} is stored with the step (the {@code request_id}
 * column), shown by the API and handed to site providers and scripts; {@link #text()} writes it and
 * {@link #parse(String)} is the one place that reads it.
 */
public record RequestId(JobId job, int step, Phase phase, Optional<String> part) {
    /** Whether the effect belongs to a step's run or to its compensation. */
    public enum Phase {
        RUN,
        UNDO
    }

    private static final String UNDO = "undo";

    public RequestId {
        requireNonNull(job, "job is null");
        requireNonNull(phase, "phase is null");
        requireNonNull(part, "part is null");
        if (step < 0) {
            throw new IllegalArgumentException("step must not be negative: " + step);
        }
        if (job.value().contains(":")) {
            throw new IllegalArgumentException("a request id's job id must not contain ':': " + job);
        }
        part.ifPresent(p -> {
            if (p.isBlank() || p.contains(":") || p.equals(UNDO)) {
                throw new IllegalArgumentException("a request id's part must be a non-blank word other than 'undo': " + p);
            }
        });
    }

    /** The id of step {@code step}'s run in {@code job}. */
    public static RequestId of(JobId job, int step) {
        return new RequestId(job, step, Phase.RUN, Optional.empty());
    }

    /** The id of this step's compensation. */
    public RequestId undo() {
        return new RequestId(job, step, Phase.UNDO, part);
    }

    /** The id of a second effect named {@code name} within the same run or compensation. */
    public RequestId part(String name) {
        return new RequestId(job, step, phase, Optional.of(name));
    }

    /**
     * Reads the text form {@code <job>:<step>[:undo][:<part>]}.
     *
     * @throws IllegalArgumentException when the text is not a request id
     */
    public static RequestId parse(String text) {
        requireNonNull(text, "text is null");
        String[] f = text.split(":", -1);
        if (f.length < 2 || f.length > 4) {
            throw new IllegalArgumentException("not a request id (<job>:<step>[:undo][:<part>]): " + text);
        }
        int step;
        try {
            step = Integer.parseInt(f[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a request id (<job>:<step>[:undo][:<part>]): " + text, e);
        }
        Phase phase = Phase.RUN;
        int next = 2;
        if (f.length > next && f[next].equals(UNDO)) {
            phase = Phase.UNDO;
            next++;
        }
        Optional<String> part = f.length > next ? Optional.of(f[next++]) : Optional.empty();
        if (next != f.length) {
            throw new IllegalArgumentException("not a request id (<job>:<step>[:undo][:<part>]): " + text);
        }
        return new RequestId(new JobId(f[0]), step, phase, part);
    }

    /** The text form, {@code <job>:<step>[:undo][:<part>]}. */
    public String text() {
        return job.value() + ":" + step + (phase == Phase.UNDO ? ":" + UNDO : "") + part.map(p -> ":" + p).orElse("");
    }

    @Override
    public String toString() {
        return text();
    }
}
