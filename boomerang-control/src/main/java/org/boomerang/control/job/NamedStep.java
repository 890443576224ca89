package org.boomerang.control.job;

import static java.util.Objects.requireNonNull;

import java.util.function.Consumer;

/** A step made of two functions: what it does and how it is undone. */
public record NamedStep(String name, Consumer<StepContext> action, Consumer<StepContext> undo) implements Step {
    public NamedStep {
        requireNonNull(name, "name is null");
        requireNonNull(action, "action is null");
        requireNonNull(undo, "undo is null");
    }

    /** A step with nothing to undo. */
    public static NamedStep of(String name, Consumer<StepContext> action) {
        return new NamedStep(name, action, ctx -> {});
    }

    public static NamedStep of(String name, Consumer<StepContext> action, Consumer<StepContext> undo) {
        return new NamedStep(name, action, undo);
    }

    @Override
    public void run(StepContext context) {
        action.accept(context);
    }

    @Override
    public void compensate(StepContext context) {
        undo.accept(context);
    }
}
