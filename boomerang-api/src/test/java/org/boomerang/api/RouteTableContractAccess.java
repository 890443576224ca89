package org.boomerang.api;

import java.util.List;

/** Opens {@link RouteTableContract} to tests in other packages. */
public final class RouteTableContractAccess {
    private RouteTableContractAccess() {}

    public static void documentMatchesRoutes(TestingApi api) {
        RouteTableContract.documentMatchesRoutes(api);
    }

    public static List<String> rolesAreEnforced(TestingApi api) {
        return RouteTableContract.rolesAreEnforced(api);
    }
}
