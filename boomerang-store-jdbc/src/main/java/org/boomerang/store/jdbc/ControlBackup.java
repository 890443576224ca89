package org.boomerang.store.jdbc;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.boomerang.common.AtomicFile;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.PrivateFiles;
import org.boomerang.control.ControlError;

/**
 * Owner of the control-database backup file (FB-13): a logical copy of every table, independent
 * of the database it came from, so a SQLite backup restores into PostgreSQL and back.
 *
 * <pre>
 * backup  := header NL row* trailer NL          (UTF-8 text, one JSON object per line)
 * header  := {"format":"boomerang-control-backup","version":3,"createdAt":ISO-8601,"schema":"002"}
 * row     := {"table":NAME,"values":[VALUE, ...]}   VALUE is a string, an integer or null, in the
 *            column order of {@link #TABLES} for that table
 *          | {"file":"api-tokens","text":TEXT}     (version 2) the API token file of the data folder,
 *            as it is (token ids, roles and hashes; never a token's secret), at most once
 * trailer := {"end":true,"rows":N,"crc32c":HEX}    CRC32C (8 lower-case hex digits) of every byte
 *            before the trailer line, i.e. header and rows with their newlines
 * </pre>
 *
 * A backup is written to {@code FILE.tmp}, fsynced, then renamed over {@code FILE} atomically, so a
 * crash never leaves a half backup under the final name. The file is mode 0600 (a folder it creates 0700). A restore checks the header, the row
 * count and the CRC before it changes anything, and then loads every row in one transaction into a
 * database that holds no control server yet; the token file is handed back to the caller, which
 * writes it into the data folder. Versions 1 and 2 are read as well: their {@code agents} rows
 * (heartbeats keyed by machine only, from before migration V002) are skipped, as the migration drops
 * them; agents report again within seconds.
 */
public final class ControlBackup {
    static final String FORMAT = "boomerang-control-backup";
    /**
     * Version 1: the tables of migration V001. Version 2: and the API token file. Version 3: the
     * tables of migration V002 ({@code agent_heartbeats} by site and machine in place of {@code agents},
     * and {@code manager_sightings}).
     */
    static final int VERSION = 3;
    /** The table of versions 1 and 2 that version 3 no longer has; its rows are skipped on restore. */
    private static final String DROPPED_AGENTS = "agents";
    /** The name of the token file's row. */
    public static final String TOKENS = "api-tokens";

    /** A column and whether it holds text or an integer. */
    record Column(String name, boolean text) {}

    record Table(String name, List<Column> columns) {}

    private static Column t(String name) {
        return new Column(name, true);
    }

    private static Column n(String name) {
        return new Column(name, false);
    }

    /** Every table of the control database and its columns, in restore order. */
    static final List<Table> TABLES = List.of(
            new Table("control_identity", List.of(n("singleton"), t("doc"))),
            new Table("sites", List.of(t("id"), t("doc"))),
            new Table("inventories", List.of(t("site_id"), t("doc"))),
            new Table("process_servers", List.of(t("id"), t("doc"))),
            new Table("master_targets", List.of(t("machine_id"), t("doc"))),
            new Table("agent_heartbeats", List.of(t("site_id"), t("machine_id"), t("doc"))),
            new Table("manager_sightings", List.of(t("site_id"), t("manager_id"), t("first_seen_at"))),
            new Table("replication_policies", List.of(t("id"), t("doc"))),
            new Table("replication_groups", List.of(t("id"), t("doc"))),
            new Table("protected_items", List.of(t("id"), n("state_id"), n("version"), t("doc"))),
            new Table("recovery_plans", List.of(t("id"), t("doc"))),
            new Table("jobs", List.of(t("id"), n("kind_id"), t("target"), n("state_id"), t("parent_id"), n("created_at"), n("version"),
                    t("lease_owner"), n("lease_until"), n("cancel_requested"), t("doc"))),
            new Table("job_steps", List.of(t("job_id"), n("step_index"), t("name"), t("request_id"), n("state_id"), t("detail"),
                    t("updated_at"))),
            new Table("job_log", List.of(t("job_id"), n("seq"), t("at"), t("message"))));

    /** What a backup or restore did. */
    public record Summary(Path file, long rows, Instant createdAt, java.util.Optional<String> tokens) {
        public Summary {
            requireNonNull(tokens, "tokens is null");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private ControlBackup() {}

    /** Writes a backup of {@code db} to {@code file} (atomically), without a token file. */
    public static Summary write(Database db, Path file, Instant now) {
        return write(db, file, now, java.util.Optional.empty());
    }

    /**
     * Writes a backup of {@code db} and, when it exists, of the API token file {@code tokens} to
     * {@code file} (atomically, mode 0600).
     */
    public static Summary write(Database db, Path file, Instant now, java.util.Optional<Path> tokens) {
        requireNonNull(db, "db is null");
        CRC32C crc = new CRC32C();
        long[] rows = {0};
        try {
            if (!Files.isDirectory(file.toAbsolutePath().getParent())) {
                PrivateFiles.directory(file.toAbsolutePath().getParent());
            }
            java.util.Optional<String> tokenText = tokens.isPresent() && Files.isRegularFile(tokens.get())
                    ? java.util.Optional.of(Files.readString(tokens.get(), StandardCharsets.UTF_8)) : java.util.Optional.empty();
            AtomicFile.write(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"), stream -> {
                BufferedWriter out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
                try (Connection c = db.dataSource().getConnection()) {
                    ObjectNode header = JsonNodeFactory.instance.objectNode();
                    header.put("format", FORMAT).put("version", VERSION).put("createdAt", now.toString()).put("schema", "002");
                    line(out, crc, header);
                    c.setAutoCommit(false);
                    c.setTransactionIsolation(db.config().isSqlite() ? Connection.TRANSACTION_SERIALIZABLE : Connection.TRANSACTION_REPEATABLE_READ);
                    for (Table table : TABLES) {
                        String cols = String.join(", ", table.columns().stream().map(Column::name).toList());
                        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + cols + " FROM " + table.name())) {
                            while (rs.next()) {
                                ObjectNode row = JsonNodeFactory.instance.objectNode();
                                row.put("table", table.name());
                                ArrayNode values = row.putArray("values");
                                for (int i = 0; i < table.columns().size(); i++) {
                                    if (table.columns().get(i).text()) {
                                        String v = rs.getString(i + 1);
                                        if (v == null) {
                                            values.addNull();
                                        } else {
                                            values.add(v);
                                        }
                                    } else {
                                        long v = rs.getLong(i + 1);
                                        if (rs.wasNull()) {
                                            values.addNull();
                                        } else {
                                            values.add(v);
                                        }
                                    }
                                }
                                line(out, crc, row);
                                rows[0]++;
                            }
                        }
                    }
                    c.commit();
                    if (tokenText.isPresent()) {
                        ObjectNode row = JsonNodeFactory.instance.objectNode();
                        row.put("file", TOKENS).put("text", tokenText.get());
                        line(out, crc, row);
                        rows[0]++;
                    }
                    ObjectNode trailer = JsonNodeFactory.instance.objectNode();
                    trailer.put("end", true).put("rows", rows[0]).put("crc32c", hex(crc));
                    out.write(JSON.writeValueAsString(trailer));
                    out.write('\n');
                }
                out.flush();
            });
            return new Summary(file, rows[0], now, tokenText);
        } catch (IOException | SQLException e) {
            throw new BoomerangException(ControlError.BACKUP_FAILED, "backup of the control database to " + file + " failed: " + e.getMessage(),
                    "check the target directory is writable and has space, and the database is reachable", e);
        }
    }

    /** Loads a backup into {@code db}, which must hold no control server yet (no identity). */
    public static Summary restore(Path file, Database db) {
        List<String> lines = readChecked(file);
        JsonNode header = parse(file, lines.getFirst());
        try (Connection c = db.dataSource().getConnection()) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM control_identity")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    throw new BoomerangException(StoreError.RESTORE_TARGET_NOT_EMPTY,
                            "the database " + db.config().describe() + " already holds a control server",
                            "restore into a new, empty data directory or database (the restored server keeps the backed-up identity)");
                }
            }
            c.setAutoCommit(false);
            try {
                for (int i = TABLES.size() - 1; i >= 0; i--) {
                    try (Statement s = c.createStatement()) {
                        s.executeUpdate("DELETE FROM " + TABLES.get(i).name());
                    }
                }
                long rows = 0;
                java.util.Optional<String> tokenText = java.util.Optional.empty();
                for (String line : lines.subList(1, lines.size() - 1)) {
                    JsonNode row = parse(file, line);
                    if (row.has("file")) {
                        if (!TOKENS.equals(row.path("file").asText()) || !row.path("text").isTextual() || tokenText.isPresent()) {
                            throw corrupt(file, "it holds an unknown or repeated file row " + row.path("file"));
                        }
                        tokenText = java.util.Optional.of(row.path("text").asText());
                        rows++;
                        continue;
                    }
                    if (header.path("version").asInt() < 3 && DROPPED_AGENTS.equals(row.path("table").asText())) {
                        rows++;
                        continue;
                    }
                    Table table = table(file, row.path("table").asText());
                    JsonNode values = row.path("values");
                    if (values.size() != table.columns().size()) {
                        throw corrupt(file, "row of " + table.name() + " has " + values.size() + " values, expected " + table.columns().size());
                    }
                    String cols = String.join(", ", table.columns().stream().map(Column::name).toList());
                    String marks = String.join(", ", table.columns().stream().map(x -> "?").toList());
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table.name() + " (" + cols + ") VALUES (" + marks + ")")) {
                        for (int k = 0; k < table.columns().size(); k++) {
                            JsonNode v = values.get(k);
                            boolean isText = table.columns().get(k).text();
                            if (v.isNull()) {
                                ps.setNull(k + 1, isText ? Types.VARCHAR : Types.BIGINT);
                            } else if (isText) {
                                ps.setString(k + 1, v.asText());
                            } else {
                                ps.setLong(k + 1, v.asLong());
                            }
                        }
                        ps.executeUpdate();
                    }
                    rows++;
                }
                c.commit();
                return new Summary(file, rows, Instant.parse(header.path("createdAt").asText()), tokenText);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new BoomerangException(ControlError.BACKUP_FAILED, "restore of " + file + " into " + db.config().describe() + " failed: "
                    + e.getMessage(), "nothing was changed; check the database is reachable and empty, then retry", e);
        }
    }

    /** Checks a backup whole (as a restore does first) without changing anything; returns what it holds. */
    public static Summary verify(Path file) {
        List<String> lines = readChecked(file);
        JsonNode header = parse(file, lines.getFirst());
        java.util.Optional<String> tokens = java.util.Optional.empty();
        for (String line : lines.subList(1, lines.size() - 1)) {
            if (line.startsWith("{\"file\"")) {
                tokens = java.util.Optional.of(parse(file, line).path("text").asText());
            }
        }
        return new Summary(file, lines.size() - 2, Instant.parse(header.path("createdAt").asText()), tokens);
    }

    /** Reads the file and checks header, trailer, row count and CRC before anything is applied. */
    static List<String> readChecked(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BoomerangException(StoreError.BACKUP_NOT_FOUND, "backup file " + file + " does not exist",
                    "name an existing backup (scheduled backups are in DATA/backups)");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BoomerangException(ControlError.BACKUP_FAILED, "cannot read backup " + file + ": " + e.getMessage(),
                    "check the path", e);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!text.endsWith("\n")) {
            throw corrupt(file, "it does not end with a complete trailer line (truncated?)");
        }
        int lastStart = text.lastIndexOf('\n', text.length() - 2) + 1;
        if (lastStart <= 0) {
            throw corrupt(file, "it has no header");
        }
        List<String> lines = List.of(text.split("\n"));
        JsonNode header = parse(file, lines.getFirst());
        if (!FORMAT.equals(header.path("format").asText())) {
            throw corrupt(file, "it is not a Boomerang control backup (format " + header.path("format") + ")");
        }
        if (header.path("version").asInt() < 1 || header.path("version").asInt() > VERSION) {
            throw corrupt(file, "its version " + header.path("version") + " is not supported (this build reads " + VERSION + ")");
        }
        JsonNode trailer = parse(file, text.substring(lastStart, text.length() - 1));
        if (!trailer.path("end").asBoolean()) {
            throw corrupt(file, "its last line is not the trailer (truncated?)");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, text.substring(0, lastStart).getBytes(StandardCharsets.UTF_8).length);
        if (!hex(crc).equals(trailer.path("crc32c").asText())) {
            throw corrupt(file, "its checksum does not match (crc32c " + hex(crc) + ", trailer says " + trailer.path("crc32c").asText() + ")");
        }
        if (trailer.path("rows").asLong() != lines.size() - 2) {
            throw corrupt(file, "it has " + (lines.size() - 2) + " rows, the trailer says " + trailer.path("rows").asLong());
        }
        return lines;
    }

    private static Table table(Path file, String name) {
        return TABLES.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> corrupt(file, "it names an unknown table " + name));
    }

    private static JsonNode parse(Path file, String line) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw corrupt(file, "a line is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static BoomerangException corrupt(Path file, String why) {
        return new BoomerangException(ControlError.BACKUP_CORRUPT, "backup " + file + " is unusable: " + why,
                "nothing was restored; use another backup (scheduled backups keep several)");
    }

    private static void line(BufferedWriter out, CRC32C crc, JsonNode node) throws IOException {
        String s = JSON.writeValueAsString(node) + "\n";
        crc.update(s.getBytes(StandardCharsets.UTF_8));
        out.write(s);
    }

    private static String hex(CRC32C crc) {
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }
}
