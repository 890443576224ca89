package org.boomerang.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Writes the JSON Schema (OpenAPI 3.1 dialect) of the API's records by reflection, so that the
 * OpenAPI document describes exactly the records the routes read and write. A record becomes a
 * named schema under {@code components.schemas}, in one of two directions:
 *
 * <ul>
 *   <li>{@link Direction#RESPONSE}: the server writes every component, null ones included, so every
 *       component is {@code required}; a component marked {@code @Nullable} (JSpecify) may be
 *       {@code null} and no other may.
 *   <li>{@link Direction#REQUEST}: components marked {@code @JsonProperty(required = true)} are
 *       {@code required}; the others may be left out; none may be {@code null} (explicit nulls are
 *       refused, see {@link PayloadReader}).
 * </ul>
 *
 * A record read in requests and written in responses (a plan's groups) gets both: its plain name
 * for the response, {@code <name>Input} for the request. Write the response schemas first
 * ({@link org.boomerang.api.openapi.OpenApiDocument} does) so the plain names go to responses.
 * Enums are the same in both directions; a constant marked {@code @JsonEnumDefaultValue} is the
 * client's reading of a value it does not know, never sent, so not listed. Not thread-safe: one
 * instance per document.
 */
public final class JsonSchemas {
    private final Map<String, Object> components = new TreeMap<>();
    private final Map<Class<?>, String> responseNames = new HashMap<>();

    /** Whether a record is read from a request body or written in a response. */
    public enum Direction {
        REQUEST,
        RESPONSE
    }

    /** The schema of {@code type} as a response writes it, a {@code $ref} for records and enums. */
    public Map<String, Object> schemaOf(Type type) {
        return schemaOf(type, Direction.RESPONSE);
    }

    /** The schema of {@code type} in {@code direction}, a {@code $ref} for records and enums. */
    public Map<String, Object> schemaOf(Type type, Direction direction) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            if (Collection.class.isAssignableFrom(raw)) {
                return map("type", "array", "items", schemaOf(p.getActualTypeArguments()[0], direction));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return map("type", "object", "additionalProperties", schemaOf(p.getActualTypeArguments()[1], direction));
            }
            if (raw == Optional.class) {
                return schemaOf(p.getActualTypeArguments()[0], direction);
            }
            return schemaOf(raw, direction);
        }
        if (type instanceof GenericArrayType g) {
            return map("type", "array", "items", schemaOf(g.getGenericComponentType(), direction));
        }
        Class<?> c = (Class<?>) type;
        if (c.isArray()) {
            return map("type", "array", "items", schemaOf(c.getComponentType(), direction));
        }
        if (c.isEnum()) {
            String enumName = c.getSimpleName();
            if (!components.containsKey(enumName)) {
                List<String> values = new ArrayList<>();
                for (Object constant : c.getEnumConstants()) {
                    String name = ((Enum<?>) constant).name();
                    if (!clientSideDefault(c, name)) {
                        values.add(wireValue(c, name));
                    }
                }
                components.put(enumName, map("type", "string", "enum", values));
            }
            return map("$ref", "#/components/schemas/" + enumName);
        }
        if (c.isRecord()) {
            String name = recordName(c, direction);
            if (!components.containsKey(name)) {
                components.put(name, Map.of()); // placeholder: stops recursion on self-reference
                Map<String, Object> properties = new LinkedHashMap<>();
                List<String> required = new ArrayList<>();
                for (RecordComponent rc : c.getRecordComponents()) {
                    Map<String, Object> schema = schemaOf(rc.getGenericType(), direction);
                    boolean nullable = direction == Direction.RESPONSE && rc.getAnnotatedType().isAnnotationPresent(Nullable.class);
                    properties.put(rc.getName(), nullable ? orNull(schema) : schema);
                    if (direction == Direction.RESPONSE || requiredInRequests(rc)) {
                        required.add(rc.getName());
                    }
                }
                Map<String, Object> schema = new LinkedHashMap<>();
                schema.put("type", "object");
                schema.put("additionalProperties", false);
                schema.put("properties", properties);
                if (!required.isEmpty()) {
                    schema.put("required", required);
                }
                components.put(name, schema);
            }
            return map("$ref", "#/components/schemas/" + name);
        }
        if (c == Instant.class) {
            return map("type", "string", "format", "date-time");
        }
        if (c == long.class || c == Long.class) {
            return map("type", "integer", "format", "int64");
        }
        return map("type", jsonTypeName(c));
    }

    /** The named schemas collected so far, for {@code components.schemas}. */
    public Map<String, Object> components() {
        return components;
    }

    /** A record's name: plain for responses and for records only ever read; {@code <name>Input} when a response took the plain one. */
    private String recordName(Class<?> c, Direction direction) {
        String name = schemaName(c);
        if (direction == Direction.RESPONSE) {
            responseNames.put(c, name);
            return name;
        }
        return responseNames.containsKey(c) ? name + "Input" : name;
    }

    /**
     * Whether {@code @JsonProperty(required = true)} marks the component. The annotation does not
     * target record components, so Java puts it on the field, the accessor and the constructor
     * parameter only: read it from the accessor.
     */
    private static boolean requiredInRequests(RecordComponent rc) {
        JsonProperty jp = rc.getAccessor().getAnnotation(JsonProperty.class);
        return jp != null && jp.required();
    }

    /** {@code schema} or JSON {@code null}: a type list for a scalar, {@code anyOf} for a reference. */
    private static Map<String, Object> orNull(Map<String, Object> schema) {
        if (schema.get("type") instanceof String type) {
            Map<String, Object> copy = new LinkedHashMap<>(schema);
            copy.put("type", List.of(type, "null"));
            return copy;
        }
        return map("anyOf", List.of(schema, map("type", "null")));
    }

    /** {@code Outer.Inner} records get {@code OuterInner} so names stay unique. */
    static String schemaName(Class<?> c) {
        return c.getEnclosingClass() == null ? c.getSimpleName() : schemaName(c.getEnclosingClass()) + c.getSimpleName();
    }

    /** The JSON type of a scalar Java type. */
    public static String jsonTypeName(Class<?> c) {
        if (c == String.class || c == Instant.class || c == Duration.class || c.isEnum() || c == java.util.UUID.class) {
            return "string";
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class || c == short.class || c == Short.class) {
            return "integer";
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
            return "number";
        }
        if (c == boolean.class || c == Boolean.class) {
            return "boolean";
        }
        if (c.isArray() || Collection.class.isAssignableFrom(c)) {
            return "array";
        }
        return "object";
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A constant's value on the wire: its {@code @JsonProperty} name when it has one (item states' labels), else its name. */
    private static String wireValue(Class<?> type, String constant) {
        try {
            JsonProperty jp = type.getField(constant).getAnnotation(JsonProperty.class);
            return jp == null || jp.value().isEmpty() ? constant : jp.value();
        } catch (NoSuchFieldException e) {
            return constant;
        }
    }

    /** A constant marked {@code @JsonEnumDefaultValue} is what a client reads unknown values as; the server never sends it. */
    private static boolean clientSideDefault(Class<?> type, String constant) {
        try {
            return type.getField(constant).isAnnotationPresent(com.fasterxml.jackson.annotation.JsonEnumDefaultValue.class);
        } catch (NoSuchFieldException e) {
            return false;
        }
    }
}
