package org.boomerang.portal;

import org.boomerang.common.BoomerangException;
import org.boomerang.control.failback.FailbackRule;
import org.boomerang.portal.view.Views.Refusal;

/** Turns a refusal of the control server into what a page shows: the same code, message and hint as the API. Stateless. */
final class Refusals {
    private Refusals() {}

    static Refusal of(BoomerangException e) {
        String rule = e.code() instanceof FailbackRule r ? "FB-" + r.number() + ": " + r.rule() : null;
        return new Refusal(e.code().name(), e.type().name(), e.getMessage(), e.hint(), rule);
    }
}
