package org.boomerang.dataplane.roles;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.ByteSize;
import org.boomerang.common.Durations;

/**
 * One object of a role's config file (YAML, or JSON when the name ends in {@code .json}), read with
 * Jackson into a tree and mapped by hand into the role's config records, so that every refusal names
 * the file, the key's full path, what was found and what to write instead. Relative paths are resolved
 * against the config file's directory, so a config works from any working directory.
 *
 * <p>Thread-safety: not thread-safe; used once at start.
 */
public final class ConfigNode {
    private final Path file;
    private final String path;
    private final JsonNode node;

    private ConfigNode(Path file, String path, JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    /** Reads {@code file}; the top level must be an object. */
    public static ConfigNode read(Path file) {
        ObjectMapper mapper = file.getFileName().toString().endsWith(".json") ? new ObjectMapper() : new YAMLMapper();
        JsonNode root;
        try {
            root = mapper.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new BoomerangException(RoleError.BAD_CONFIG, "config file " + file + " does not exist",
                    "give --config the path of a YAML or JSON file, e.g. examples/loopback/agent.yaml");
        } catch (JacksonException e) {
            throw new BoomerangException(RoleError.BAD_CONFIG, "config file " + file + " is not valid "
                    + (mapper instanceof YAMLMapper ? "YAML" : "JSON") + ": " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"),
                    "fix the syntax; docs/configuration.md shows a complete file for each role");
        } catch (IOException e) {
            throw new BoomerangException(RoleError.BAD_CONFIG, "config file " + file + " cannot be read: " + e.getMessage(),
                    "check its permissions");
        }
        if (root == null || !root.isObject()) {
            throw new BoomerangException(RoleError.BAD_CONFIG, "config file " + file + " holds no object of keys",
                    "write keys such as 'listen: 127.0.0.1:7002'; docs/configuration.md lists them");
        }
        return new ConfigNode(file, "", root);
    }

    /** Refuses any key of this object not in {@code known}. */
    public void allowOnly(String... known) {
        Set<String> allowed = Set.of(known);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw bad(key(k), "is not a known key", "remove it, or use one of " + new TreeSet<>(allowed));
            }
        }
    }

    public boolean has(String key) {
        return node.hasNonNull(key);
    }

    /** A nested object. */
    public ConfigNode object(String key, String example) {
        JsonNode n = node.get(key);
        if (n == null || n.isNull()) {
            throw bad(key(key), "is missing", "add it, e.g. " + key + ": " + example);
        }
        if (!n.isObject()) {
            throw bad(key(key), "must be an object of keys, found '" + n + "'", "write it as e.g. " + key + ": " + example);
        }
        return new ConfigNode(file, key(key), n);
    }

    /** A list of objects; empty when absent. */
    public List<ConfigNode> objects(String key, String example) {
        JsonNode n = node.get(key);
        List<ConfigNode> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw bad(key(key), "must be a list, found '" + n + "'", "write it as e.g. " + example);
        }
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isObject()) {
                throw bad(key(key) + "[" + i + "]", "must be an object of keys, found '" + n.get(i) + "'", "write it as e.g. " + example);
            }
            out.add(new ConfigNode(file, key(key) + "[" + i + "]", n.get(i)));
        }
        return out;
    }

    /** A list of strings; {@code fallback} when absent. */
    public List<String> strings(String key, List<String> fallback, String example) {
        JsonNode n = node.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isArray()) {
            throw bad(key(key), "must be a list of strings, found '" + n + "'", "write it as e.g. " + key + ": " + example);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual() || e.asText().isBlank()) {
                throw bad(key(key), "must hold non-empty strings, found '" + e + "'", "write it as e.g. " + key + ": " + example);
            }
            out.add(e.asText());
        }
        return out;
    }

    public String string(String key, String example) {
        JsonNode n = node.get(key);
        if (n == null || n.isNull()) {
            throw bad(key(key), "is missing", "add it, e.g. " + key + ": " + example);
        }
        if (!n.isValueNode() || n.asText().isBlank()) {
            throw bad(key(key), "must be a non-empty value, found '" + n + "'", "write it as e.g. " + key + ": " + example);
        }
        return n.asText();
    }

    public String string(String key, String fallback, String example) {
        return has(key) ? string(key, example) : fallback;
    }

    /** A path, relative ones resolved against the config file's directory. */
    public Path path(String key, String example) {
        return resolve(string(key, example));
    }

    public Path path(String key, String fallback, String example) {
        return resolve(string(key, fallback, example));
    }

    /** A byte size such as 64MiB ({@link ByteSize}). */
    public long size(String key, String fallback, String example) {
        String text = string(key, fallback, example);
        try {
            return ByteSize.parse(text);
        } catch (IllegalArgumentException e) {
            throw bad(key(key), "'" + text + "' is not a size (" + e.getMessage() + ")", "write e.g. " + key + ": " + example);
        }
    }

    /** A duration such as 200ms ({@link Durations}). */
    public Duration duration(String key, String fallback) {
        String text = string(key, fallback, "1s");
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw bad(key(key), "'" + text + "' is not a duration", "write e.g. " + key + ": 200ms (" + Durations.EXAMPLES + ")");
        }
    }

    public int integer(String key, int fallback, int min, int max) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode n = node.get(key);
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < min || n.asInt() > max) {
            throw bad(key(key), "must be a whole number from " + min + " to " + max + ", found '" + n + "'",
                    "write e.g. " + key + ": " + fallback);
        }
        return n.asInt();
    }

    public boolean bool(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode n = node.get(key);
        if (!n.isBoolean()) {
            throw bad(key(key), "must be true or false, found '" + n + "'", "write e.g. " + key + ": " + fallback);
        }
        return n.asBoolean();
    }

    /** One of {@code choices}. */
    public String choice(String key, String fallback, List<String> choices) {
        String v = string(key, fallback, fallback);
        if (!choices.contains(v)) {
            throw bad(key(key), "'" + v + "' is not one of " + choices, "write e.g. " + key + ": " + fallback);
        }
        return v;
    }

    /** A {@code HOST:PORT} (port 0 picks a free one when listening). */
    public Endpoint endpoint(String key, String example) {
        String text = string(key, example);
        try {
            return Endpoint.parse(text);
        } catch (IllegalArgumentException e) {
            throw bad(key(key), "'" + text + "' is not HOST:PORT (" + e.getMessage() + ")", "write e.g. " + key + ": " + example);
        }
    }

    /** A refusal of this object's {@code key} (its full path in the file). */
    public BoomerangException bad(String fullKey, String what, String fix) {
        return new BoomerangException(RoleError.BAD_CONFIG, file + ": key '" + fullKey + "' " + what, fix);
    }

    public String key(String k) {
        return path.isEmpty() ? k : path + "." + k;
    }

    private Path resolve(String text) {
        Path p = Path.of(text);
        return p.isAbsolute() ? p : file.toAbsolutePath().getParent().resolve(p).normalize();
    }
}
