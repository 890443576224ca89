package org.boomerang.provider;

import static java.util.Objects.requireNonNull;

/**
 * A guest operating system: family and version text as the provider reports it,
 * e.g. {@code WINDOWS "Windows Server 2008 R2 SP1"} or {@code LINUX "Ubuntu 24.04"}.
 */
public record GuestOs(OsFamily family, String version) {
    public GuestOs {
        requireNonNull(family, "family is null");
        requireNonNull(version, "version is null");
    }

    /** FB-10: physical servers with this OS can never fail back. */
    public boolean isWindowsServer2008R2Sp1() {
        String v = version.toLowerCase(java.util.Locale.ROOT).replace(" ", "");
        return family == OsFamily.WINDOWS && v.contains("2008r2") && v.contains("sp1");
    }
}
