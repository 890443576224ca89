package org.boomerang.api;

import java.util.List;
import org.boomerang.common.BoomerangException;

/**
 * A refusal of an operation on an object with a lifecycle, carrying the object's current state and
 * the operations it allows now into the error body. Keeps the original error's code, message and
 * hint, so the stable code a script branches on does not change.
 */
public final class StateRefusal extends BoomerangException {
    private final String state;
    private final List<String> allowedActions;

    public StateRefusal(BoomerangException original, String state, List<String> allowedActions) {
        super(original.code(), original.getMessage(), original.hint(), original);
        this.state = state;
        this.allowedActions = List.copyOf(allowedActions);
    }

    public String state() {
        return state;
    }

    public List<String> allowedActions() {
        return allowedActions;
    }
}
