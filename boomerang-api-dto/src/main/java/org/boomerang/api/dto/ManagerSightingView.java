package org.boomerang.api.dto;

import java.time.Instant;

/**
 * When the control server first saw a hypervisor manager of a site in a discovery (FB-3: an item
 * never fails back into a vCenter first seen after it was protected).
 */
public record ManagerSightingView(String site, String manager, Instant firstSeenAt) {}
