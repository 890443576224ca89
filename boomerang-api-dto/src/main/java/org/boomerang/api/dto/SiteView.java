package org.boomerang.api.dto;

/** A site: its role in the protection relationship and its provider (e.g. {@code lab}). */
public record SiteView(String id, SiteRole role, String provider) {
    /** Primary (where machines normally run) or recovery. */
    public enum SiteRole {
        PRIMARY,
        RECOVERY
    }
}
