package org.boomerang.cli;

/** {@code --output}: a table for people, JSON for scripts (the API's own records, pretty-printed). */
public enum OutputFormat {
    table,
    json
}
