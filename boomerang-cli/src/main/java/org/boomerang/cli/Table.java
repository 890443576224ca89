package org.boomerang.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A plain-text table: a header row and aligned columns separated by two spaces, no borders, so
 * that {@code grep} and {@code awk} work on it too. Empty values print as {@code -}.
 */
public final class Table<T> {
    private final List<String> headers = new ArrayList<>();
    private final List<Function<T, Object>> cells = new ArrayList<>();

    public Table<T> column(String header, Function<T, Object> cell) {
        headers.add(header);
        cells.add(cell);
        return this;
    }

    public void print(List<T> rows, PrintWriter out) {
        List<String[]> lines = new ArrayList<>();
        lines.add(headers.toArray(String[]::new));
        for (T row : rows) {
            String[] line = new String[cells.size()];
            for (int i = 0; i < cells.size(); i++) {
                Object v = cells.get(i).apply(row);
                String s = v == null ? "" : v.toString();
                line[i] = s.isEmpty() ? "-" : s;
            }
            lines.add(line);
        }
        int[] widths = new int[headers.size()];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : lines) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                sb.append(line[i]);
                if (i < line.length - 1) {
                    sb.append(" ".repeat(widths[i] - line[i].length() + 2));
                }
            }
            out.println(sb.toString().stripTrailing());
        }
        out.flush();
    }

    /** Prints one record as {@code name: value} lines. */
    public void printOne(T row, PrintWriter out) {
        int width = headers.stream().mapToInt(String::length).max().orElse(0);
        for (int i = 0; i < headers.size(); i++) {
            Object v = cells.get(i).apply(row);
            String s = v == null || v.toString().isEmpty() ? "-" : v.toString();
            out.println(headers.get(i) + ":" + " ".repeat(width - headers.get(i).length() + 1) + s);
        }
        out.flush();
    }
}
