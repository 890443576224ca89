package org.boomerang.api.dto;

/**
 * What an API token may do. Each role includes the rights of the roles before it:
 * {@code reader} reads, {@code operator} also runs operations (failover, commit, reprotect, jobs),
 * {@code admin} also manages tokens and changes configuration (policies, inventory discovery).
 */
public enum Role {
    READER,
    OPERATOR,
    ADMIN;

    /** True when a token of this role may use a route that needs {@code needed}. */
    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** The lower-case name used on the command line and in the token file. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@code reader}, {@code operator} or {@code admin} (any case). */
    public static Role parse(String text) {
        for (Role r : values()) {
            if (r.name().equalsIgnoreCase(text.trim())) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + text + "': use reader, operator or admin");
    }
}
