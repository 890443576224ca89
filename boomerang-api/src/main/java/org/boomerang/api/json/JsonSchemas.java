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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes the JSON Schema (OpenAPI 3.1 dialect) of the API's records by reflection, so that the
 * OpenAPI document describes exactly the records the routes read and write. A record becomes a
 * named schema under {@code components.schemas}; its components marked
 * {@code @JsonProperty(required = true)} are {@code required}. Not thread-safe: one instance per
 * document.
 */
public final class JsonSchemas {
    private final Map<String, Object> components = new TreeMap<>();

    /** The schema of {@code type}, a {@code $ref} for records and enums. */
    public Map<String, Object> schemaOf(Type type) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            if (Collection.class.isAssignableFrom(raw)) {
                return map("type", "array", "items", schemaOf(p.getActualTypeArguments()[0]));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return map("type", "object", "additionalProperties", schemaOf(p.getActualTypeArguments()[1]));
            }
            if (raw == Optional.class) {
                return schemaOf(p.getActualTypeArguments()[0]);
            }
            return schemaOf(raw);
        }
        if (type instanceof GenericArrayType g) {
            return map("type", "array", "items", schemaOf(g.getGenericComponentType()));
        }
        Class<?> c = (Class<?>) type;
        if (c.isArray()) {
            return map("type", "array", "items", schemaOf(c.getComponentType()));
        }
        if (c.isEnum()) {
            String name = c.getSimpleName();
            if (!components.containsKey(name)) {
                List<String> values = new ArrayList<>();
                for (Object constant : c.getEnumConstants()) {
                    String value = ((Enum<?>) constant).name();
                    if (!clientSideDefault(c, value)) {
                        values.add(value);
                    }
                }
                components.put(name, map("type", "string", "enum", values));
            }
            return map("$ref", "#/components/schemas/" + name);
        }
        if (c.isRecord()) {
            String name = schemaName(c);
            if (!components.containsKey(name)) {
                components.put(name, Map.of()); // placeholder: stops recursion on self-reference
                Map<String, Object> properties = new LinkedHashMap<>();
                List<String> required = new ArrayList<>();
                for (RecordComponent rc : c.getRecordComponents()) {
                    properties.put(rc.getName(), schemaOf(rc.getGenericType()));
                    JsonProperty jp = rc.getAnnotation(JsonProperty.class);
                    if (jp != null && jp.required()) {
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

    /** A constant marked {@code @JsonEnumDefaultValue} is what a client reads unknown values as; the server never sends it. */
    private static boolean clientSideDefault(Class<?> type, String constant) {
        try {
            return type.getField(constant).isAnnotationPresent(com.fasterxml.jackson.annotation.JsonEnumDefaultValue.class);
        } catch (NoSuchFieldException e) {
            return false;
        }
    }
}
