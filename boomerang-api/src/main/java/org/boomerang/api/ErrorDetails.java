package org.boomerang.api;

import java.util.List;
import java.util.Optional;
import org.boomerang.common.BoomerangException;

/**
 * Finds the lifecycle facts of a refused operation: the state of the object it was refused on
 * and the operations that object allows now. The control server's errors carry them in their own
 * types; the wiring supplies the function that reads them, so this module needs no control types.
 */
@FunctionalInterface
public interface ErrorDetails {
    ErrorDetails NONE = e -> Optional.empty();

    Optional<StateFacts> of(BoomerangException e);

    /** The object's state and the operations it allows now. */
    record StateFacts(String state, List<String> allowedActions) {
        public StateFacts {
            allowedActions = List.copyOf(allowedActions);
        }
    }
}
