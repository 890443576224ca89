package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code PUT /api/v1/sites/{site}}: add or replace a site. */
public record SiteRequest(@JsonProperty(required = true) SiteView.SiteRole role, @JsonProperty(required = true) String provider) {}
