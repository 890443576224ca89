package org.boomerang.server.cli;

import picocli.CommandLine.IVersionProvider;

/** Prints the version from the jar manifest, or "development" when run from classes. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"boomerang " + (v == null ? "development" : v) + " (Java " + Runtime.version() + ")"};
    }
}
