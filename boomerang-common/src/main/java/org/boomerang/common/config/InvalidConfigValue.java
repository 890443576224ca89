package org.boomerang.common.config;

import org.boomerang.common.BoomerangException;

/**
 * Thrown by a config record's constructor for a value it refuses: names the key (as written in the
 * file, relative to the record), the value, what is wrong and what to write instead.
 * {@link ConfigReader} adds the file and the key's full path; a record built in code reports it as is.
 */
public final class InvalidConfigValue extends BoomerangException {
    private final String key;
    private final String value;
    private final String problem;

    /**
     * @param key the key as written in the file, e.g. {@code keep}
     * @param value the refused value
     * @param problem what is wrong, e.g. {@code must be at least 1}
     * @param instead what to write instead, e.g. {@code keep: 24}
     */
    public InvalidConfigValue(String key, Object value, String problem, String instead) {
        super(ConfigError.CONFIG_INVALID_VALUE, key + " = '" + value + "' " + problem, "write e.g. " + instead);
        this.key = key;
        this.value = String.valueOf(value);
        this.problem = problem;
    }

    public String key() {
        return key;
    }

    public String value() {
        return value;
    }

    public String problem() {
        return problem;
    }
}
