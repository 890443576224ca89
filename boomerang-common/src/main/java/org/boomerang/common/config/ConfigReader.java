package org.boomerang.common.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.ByteSize;
import org.boomerang.common.Durations;

/**
 * Reads a configuration file, YAML or JSON (JSON is YAML), into an immutable, validated record
 * (STYLE.md rule 12). The one config reader of Boomerang: the server, the replication roles and the
 * lab site all use it.
 *
 * <h2>Mapping</h2>
 * <ul>
 *   <li>Keys are the record components' names in kebab case ({@code backupEvery} is
 *       {@code backup-every}); a component that is itself a record is a nested map.</li>
 *   <li>{@link Duration}: as {@link Durations#parse} reads it ({@code 250ms}, {@code 30s}, {@code 1h}).
 *       {@link Path}: a path. {@link Optional}: may be absent or {@code null}. Enums: their
 *       constant names, in any case. Sizes: a {@code long} component annotated
 *       {@code @JsonDeserialize(using = ByteSizeDeserializer.class)} reads {@code 64K}, {@code 2G}
 *       ({@code contentUsing} for an {@code Optional<Long>}). Any other value type written as one
 *       string brings its own Jackson deserializer and names its form with {@link ValueForm}.</li>
 *   <li>With a {@code defaults} instance, a key absent from the file keeps the default (maps are
 *       merged key by key, lists and values replaced whole); without one, every key that is not an
 *       {@code Optional} must be present.</li>
 *   <li>An unknown key, a value of the wrong type, and a value the record's constructor refuses
 *       (see {@link InvalidConfigValue}) fail the read with a {@link BoomerangException} of
 *       {@link ConfigError} that names the file, the key, the value and what to write instead.</li>
 * </ul>
 *
 * <p>Thread-safety: stateless, safe to share.
 */
public final class ConfigReader {
    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .addModule(new Jdk8Module())
            .addModule(valueTypes())
            .build();

    private ConfigReader() {}

    /** Reads {@code file} over {@code defaults}: keys the file leaves out keep their default. */
    public static <T extends Record> T read(Path file, Class<T> type, T defaults) {
        requireNonNull(defaults, "defaults is null");
        return parse(readText(file), file.toString(), type, defaults);
    }

    /**
     * Reads {@code file} (none when null) over {@code defaults}, then sets {@code overrides}: dotted
     * keys as written in the file ({@code port}, {@code backup.keep}) to values, as command-line
     * options do. Null override values are skipped, so callers can pass options that were not given.
     */
    public static <T extends Record> T read(Path file, Class<T> type, T defaults, Map<String, ?> overrides) {
        requireNonNull(defaults, "defaults is null");
        requireNonNull(overrides, "overrides is null");
        String text = file == null ? "" : readText(file);
        boolean anyOverride = overrides.values().stream().anyMatch(v -> v != null);
        String source = (file == null ? "the defaults" : file.toString()) + (anyOverride ? " with the command-line options" : "");
        ObjectNode extra = MAPPER.createObjectNode();
        for (Map.Entry<String, ?> e : overrides.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            ObjectNode at = extra;
            String[] keys = e.getKey().split("\\.");
            for (int i = 0; i < keys.length - 1; i++) {
                at = at.has(keys[i]) ? (ObjectNode) at.get(keys[i]) : at.putObject(keys[i]);
            }
            at.set(keys[keys.length - 1], MAPPER.valueToTree(e.getValue()));
        }
        return parse(text, source, type, defaults, extra);
    }

    /** Reads {@code file}; every key that is not an {@code Optional} must be present. */
    public static <T extends Record> T read(Path file, Class<T> type) {
        return parse(readText(file), file.toString(), type, null);
    }

    /**
     * Reads {@code text} (YAML or JSON) over {@code defaults}, which may be null; {@code source}
     * names the text in errors (a file name, {@code --config}).
     */
    public static <T extends Record> T parse(String text, String source, Class<T> type, T defaults) {
        return parse(text, source, type, defaults, MAPPER.createObjectNode());
    }

    private static <T extends Record> T parse(String text, String source, Class<T> type, T defaults, ObjectNode overrides) {
        requireNonNull(text, "text is null");
        requireNonNull(source, "source is null");
        requireNonNull(type, "type is null");
        JsonNode given;
        try {
            given = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new BoomerangException(ConfigError.CONFIG_MALFORMED, source + " is not valid YAML" + where + ": " + e.getOriginalMessage(),
                    "fix the syntax; keys are written 'key: value', one per line, nested maps indented", e);
        }
        if (given == null || given.isMissingNode() || given.isNull()) {
            given = MAPPER.createObjectNode();
        }
        if (!given.isObject()) {
            throw new BoomerangException(ConfigError.CONFIG_MALFORMED, source + " holds a " + given.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                    + " at the top, not a map of keys", "write one 'key: value' per line");
        }
        JsonNode defaultTree = defaults == null ? MAPPER.createObjectNode() : MAPPER.valueToTree(defaults);
        ObjectNode merged = ((ObjectNode) defaultTree).deepCopy();
        merge(merged, (ObjectNode) given);
        merge(merged, overrides);
        List<String> missing = new ArrayList<>();
        collectMissing(type, merged, "", missing);
        if (!missing.isEmpty()) {
            throw new BoomerangException(ConfigError.CONFIG_MISSING_KEY, source + " lacks " + String.join(", ", missing),
                    "add " + (missing.size() == 1 ? "it" : "them") + "; these keys have no default");
        }
        try {
            return MAPPER.treeToValue(merged, type);
        } catch (UnrecognizedPropertyException e) {
            String key = path(e, false);
            TreeSet<String> known = new TreeSet<>();
            for (Object k : e.getKnownPropertyIds()) {
                known.add(String.valueOf(k));
            }
            String parent = path(e, true);
            throw new BoomerangException(ConfigError.CONFIG_UNKNOWN_KEY, "unknown key '" + key + "' in " + source,
                    "the keys" + (parent.isEmpty() ? "" : " under " + parent) + " are " + String.join(", ", known) + " (check the spelling)", e);
        } catch (ValueInstantiationException e) {
            throw refused(e, source);
        } catch (MismatchedInputException e) {
            String key = path(e, false);
            JsonNode value = at(merged, e);
            JsonNode example = at(defaultTree, e);
            String instead = example == null || example.isMissingNode() || example.isNull() ? "" : " (e.g. " + key + ": " + scalar(example) + ")";
            String detail = e instanceof InvalidFormatException && e.getCause() instanceof IllegalArgumentException iae
                    ? ": " + iae.getMessage() : "";
            throw new BoomerangException(ConfigError.CONFIG_INVALID_VALUE,
                    key + " = '" + (value == null ? "?" : scalar(value)) + "' in " + source + " is not " + expected(e.getTargetType()) + detail,
                    "write " + expected(e.getTargetType()) + instead, e);
        } catch (JsonProcessingException e) {
            throw new BoomerangException(ConfigError.CONFIG_INVALID_VALUE, source + ": " + e.getOriginalMessage(),
                    "check the value of " + (e instanceof JsonMappingException m ? keyOf(m.getPath()) : "each key"), e);
        } catch (IllegalArgumentException e) {
            throw new BoomerangException(ConfigError.CONFIG_INVALID_VALUE, source + ": " + e.getMessage(), "check the values in " + source, e);
        }
    }

    private static String readText(Path file) {
        requireNonNull(file, "file is null");
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BoomerangException(ConfigError.CONFIG_UNREADABLE, "the config file " + file + " does not exist",
                    "check the path (relative paths are relative to the working directory)", e);
        } catch (IOException e) {
            throw new BoomerangException(ConfigError.CONFIG_UNREADABLE, "cannot read the config file " + file + ": " + e,
                    "check the path and its permissions, or leave the option out to use the defaults", e);
        }
    }

    private static BoomerangException refused(ValueInstantiationException e, String source) {
        String at = keyOf(e.getPath());
        String prefix = at.isEmpty() ? "" : at + ".";
        Throwable cause = e.getCause();
        if (cause instanceof InvalidConfigValue v) {
            return new BoomerangException(v.code(), prefix + v.key() + " = '" + v.value() + "' in " + source + " " + v.problem(), v.hint(), v);
        }
        if (cause instanceof BoomerangException b) {
            return new BoomerangException(b.code(), source + (at.isEmpty() ? "" : " (" + at + ")") + ": " + b.getMessage(), b.hint(), b);
        }
        String why = cause == null ? e.getOriginalMessage() : cause.getMessage();
        return new BoomerangException(ConfigError.CONFIG_INVALID_VALUE, source + (at.isEmpty() ? "" : " (" + at + ")") + ": " + why,
                "fix the value it names", e);
    }

    /**
     * Keys a record needs and the merged tree lacks: named all at once, before Jackson's first one.
     * Absent {@code Optional} keys are set to null on the way, in nested maps and list entries too.
     */
    private static void collectMissing(Class<?> type, JsonNode node, String prefix, List<String> missing) {
        if (!type.isRecord() || node == null || !node.isObject()) {
            return;
        }
        for (RecordComponent c : type.getRecordComponents()) {
            String key = PropertyNamingStrategies.KebabCaseStrategy.INSTANCE.translate(c.getName());
            JsonNode child = node.get(key);
            if ((child == null || child.isNull()) && c.getType() != Optional.class) {
                missing.add(prefix + key);
            } else if (child == null && node instanceof ObjectNode object) {
                object.putNull(key); // an absent Optional is empty: Jackson would otherwise call it a missing creator property
            } else if (child != null && c.getType().isRecord()) {
                collectMissing(c.getType(), child, prefix + key + ".", missing);
            } else if (child != null && child.isArray() && Collection.class.isAssignableFrom(c.getType())
                    && c.getGenericType() instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> item) {
                for (int i = 0; i < child.size(); i++) {
                    collectMissing(item, child.get(i), prefix + key + "[" + i + "].", missing);
                }
            }
        }
    }

    private static void merge(ObjectNode into, ObjectNode over) {
        for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode current = into.get(e.getKey());
            if (current instanceof ObjectNode target && e.getValue() instanceof ObjectNode source) {
                merge(target, source);
            } else {
                into.set(e.getKey(), e.getValue());
            }
        }
    }

    private static JsonNode at(JsonNode root, JsonMappingException e) {
        JsonNode n = root;
        for (JsonMappingException.Reference r : e.getPath()) {
            if (n == null) {
                return null;
            }
            n = r.getFieldName() != null ? n.get(r.getFieldName()) : n.get(r.getIndex());
        }
        return n;
    }

    private static String path(JsonMappingException e, boolean parentOnly) {
        List<JsonMappingException.Reference> refs = e.getPath();
        return keyOf(parentOnly && !refs.isEmpty() ? refs.subList(0, refs.size() - 1) : refs);
    }

    private static String keyOf(List<JsonMappingException.Reference> refs) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                b.append(b.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String scalar(JsonNode n) {
        return n.isValueNode() ? n.asText() : n.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a value of the right kind";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class || type == short.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class || type == float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == Duration.class) {
            return "a duration such as " + Durations.EXAMPLES;
        }
        if (type == Path.class) {
            return "a path";
        }
        if (type == ByteSize.class) {
            return "a size such as 4096, 64K, 64MiB or 2G";
        }
        if (type.isAnnotationPresent(ValueForm.class)) {
            return type.getAnnotation(ValueForm.class).value();
        }
        if (type == String.class) {
            return "text";
        }
        if (type.isEnum()) {
            return "one of " + String.join(", ", Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList());
        }
        if (type.isRecord() || Map.class.isAssignableFrom(type)) {
            return "a map of keys";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "a " + type.getSimpleName();
    }

    private static SimpleModule valueTypes() {
        SimpleModule m = new SimpleModule("boomerang-config-values");
        m.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String text = p.getValueAsString();
                if (text == null || p.currentToken() != JsonToken.VALUE_STRING && !p.currentToken().isNumeric()) {
                    return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
                }
                try {
                    return Durations.parse(text);
                } catch (IllegalArgumentException e) {
                    InvalidFormatException f = InvalidFormatException.from(p, e.getMessage(), text, Duration.class);
                    f.initCause(e);
                    throw f;
                }
            }
        });
        m.addSerializer(Duration.class, new JsonSerializer<>() {
            @Override
            public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(Durations.format(value));
            }
        });
        m.addDeserializer(Path.class, new JsonDeserializer<>() {
            @Override
            public Path deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                if (p.currentToken() != JsonToken.VALUE_STRING) {
                    return (Path) ctxt.handleUnexpectedToken(Path.class, p);
                }
                try {
                    return Path.of(p.getText());
                } catch (IllegalArgumentException e) {
                    InvalidFormatException f = InvalidFormatException.from(p, e.getMessage(), p.getText(), Path.class);
                    f.initCause(e);
                    throw f;
                }
            }
        });
        m.addSerializer(Path.class, new JsonSerializer<>() {
            @Override
            public void serialize(Path value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(value.toString());
            }
        });
        return m;
    }

    /** For tests and {@code --help}: the YAML a record would be written as. */
    public static String toYaml(Record config) {
        try {
            return MAPPER.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + config.getClass().getSimpleName() + " as YAML", e);
        }
    }
}
