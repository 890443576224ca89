package org.boomerang.control.inventory;

/** The role of a site in the protection relationship. */
public enum SiteRole {
    PRIMARY,
    RECOVERY
}
