package org.boomerang.api.control;

import org.boomerang.api.dto.ItemStateView;
import org.boomerang.api.dto.OperationView;
import org.boomerang.control.protection.ItemState;
import org.boomerang.control.protection.Operation;

/** Opens {@link ControlViews}' package-private mappings to tests in other packages. */
public final class ControlViewsAccess {
    private ControlViewsAccess() {}

    public static ItemStateView state(ItemState s) {
        return ControlViews.state(s);
    }

    public static OperationView operation(Operation o) {
        return ControlViews.operation(o);
    }
}
