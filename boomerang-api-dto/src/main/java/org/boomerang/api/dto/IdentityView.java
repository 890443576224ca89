package org.boomerang.api.dto;

import java.time.Instant;

/** Who this control server is (FB-3, FB-13): the id minted on its first start, its address and site. */
public record IdentityView(String id, String address, String site, Instant createdAt) {}
