package org.boomerang.api;

import java.util.List;

/** The routes of one area of the API (items, plans, jobs, …); {@link ApiServer} registers every group. */
public interface RouteGroup {
    List<ApiRoute> routes();
}
