package org.boomerang.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --output}: for people (a table or text lines) or JSON for scripts. The one output switch of
 * every command, the client's and the server's; {@code table} and {@code text} are both accepted for
 * people (the client's commands print tables, the local ones text), in any case.
 */
public enum OutputFormat {
    /** For people: a table or text lines. */
    TEXT,
    /** For scripts: JSON (the API's own records, or the command's documented report). */
    JSON;

    /** Reads {@code table}, {@code text} or {@code json}; use it as the option's converter. */
    public static final class Converter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "table", "text" -> TEXT;
                case "json" -> JSON;
                default -> throw new TypeConversionException("not an output format: '" + value + "' (write table, text or json)");
            };
        }
    }
}
