package org.boomerang.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.List;

/** Prints records in the chosen {@link OutputFormat}: JSON for scripts, a {@link Table} for people. */
public final class Printer {
    private final OutputFormat format;
    private final PrintWriter out;
    private final ObjectMapper json;

    public Printer(OutputFormat format, PrintWriter out, ObjectMapper json) {
        this.format = requireNonNull(format, "format is null");
        this.out = requireNonNull(out, "out is null");
        this.json = requireNonNull(json, "json is null");
    }

    public <T> void list(List<T> rows, Table<T> table) {
        switch (format) {
            case JSON -> printJson(rows);
            case TEXT -> table.print(rows, out);
        }
    }

    public <T> void one(T row, Table<T> table) {
        switch (format) {
            case JSON -> printJson(row);
            case TEXT -> table.printOne(row, out);
        }
    }

    /** A line for people; nothing in JSON mode, where the record alone is printed. */
    public void note(String line) {
        if (format == OutputFormat.TEXT) {
            out.println(line);
            out.flush();
        }
    }

    public boolean isJson() {
        return format == OutputFormat.JSON;
    }

    public void printJson(Object value) {
        try {
            out.println(json.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print a record as JSON", e);
        }
        out.flush();
    }
}
