package org.boomerang.server.cli;

/** {@code --output}: text for people, json for scripts. */
public enum OutputFormat {
    TEXT,
    JSON
}
