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

    /** Windows Server 2008 R2 SP1's build: NT 6.1, build 7601 (7600 is R2 without the service pack). */
    private static final java.util.regex.Pattern BUILD_7601 = java.util.regex.Pattern.compile("(^|build\\s*|6\\.1\\.)7601([^0-9]|$)");

    /**
     * FB-10: physical servers with this OS can never fail back. Understands the spellings real
     * inventories report: "Windows Server 2008 R2 SP1", "Microsoft Windows Server 2008 R2 Standard
     * Service Pack 1", "Windows Server 2008 R2 (build 7601)", "6.1.7601".
     */
    public boolean isWindowsServer2008R2Sp1() {
        if (family != OsFamily.WINDOWS) {
            return false;
        }
        String v = version.toLowerCase(java.util.Locale.ROOT);
        if (BUILD_7601.matcher(v).find()) {
            return true;
        }
        String compact = v.replaceAll("[^a-z0-9]", "");
        boolean r2 = compact.contains("2008r2");
        boolean sp1 = compact.contains("sp1") || compact.contains("servicepack1");
        return r2 && sp1;
    }
}
