package org.boomerang.server.cli;

import picocli.CommandLine.IVersionProvider;

/** Prints the version from the jar manifest, or "development" when run from classes. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"boomerang " + version() + " (Java " + Runtime.version() + ")"};
    }

    /** The version of this build: the jar manifest's, or {@code development}. */
    public static String version() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }
}
