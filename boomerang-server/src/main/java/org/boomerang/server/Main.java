package org.boomerang.server;

import org.boomerang.server.cli.BoomerangCommand;
import org.boomerang.server.cli.CommandLines;

/** The entry point of {@code bin/boomerang}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code = CommandLines.create(new BoomerangCommand()).execute(args);
        System.exit(code);
    }
}
