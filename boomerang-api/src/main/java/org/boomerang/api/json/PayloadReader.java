package org.boomerang.api.json;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.stream.Collectors;
import org.boomerang.api.ApiErrorCode;
import org.boomerang.api.IdGrammar;
import org.boomerang.common.BoomerangException;

/**
 * Reads a request body into its record and turns every way the body can be wrong into a
 * {@code 400} that names the field: {@link ApiErrorCode#API_UNKNOWN_FIELD},
 * {@link ApiErrorCode#API_MISSING_FIELD}, {@link ApiErrorCode#API_INVALID_VALUE} or
 * {@link ApiErrorCode#API_MALFORMED_PAYLOAD}. Thread-safe.
 */
public final class PayloadReader {
    private final ObjectMapper mapper;

    public PayloadReader(ObjectMapper mapper) {
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    public <T> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw new BoomerangException(ApiErrorCode.API_MALFORMED_PAYLOAD, "the request has no body; this route expects a JSON object",
                    "send a JSON object; /openapi.json describes its fields");
        }
        try {
            JsonNode tree = mapper.readTree(body);
            if (tree == null || !tree.isObject()) {
                throw new BoomerangException(ApiErrorCode.API_MALFORMED_PAYLOAD, "the body is not a JSON object",
                        "send a JSON object; /openapi.json describes its fields");
            }
            rejectNulls(tree, "");
            JsonNode id = tree.get("id");
            if (id != null && id.isTextual()) {
                IdGrammar.check("field 'id'", id.textValue());
            }
            return mapper.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            String field = path(e);
            throw new BoomerangException(ApiErrorCode.API_UNKNOWN_FIELD, "unknown field '" + field + "'",
                    "remove it; the known fields are " + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")));
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new BoomerangException(ApiErrorCode.API_INVALID_VALUE, "invalid value" + at(e) + ": " + cause.getMessage(),
                    "correct the value; /openapi.json describes the fields");
        } catch (MismatchedInputException e) {
            String msg = e.getOriginalMessage();
            if (msg != null && msg.startsWith("Missing required creator property")) {
                throw new BoomerangException(ApiErrorCode.API_MISSING_FIELD, "missing field '" + path(e) + "'",
                        "add it; /openapi.json lists the required fields");
            }
            if (msg != null && msg.startsWith("Trailing token")) {
                throw new BoomerangException(ApiErrorCode.API_MALFORMED_PAYLOAD, "the body holds more than one JSON value",
                        "send exactly one JSON object");
            }
            if (e.getPath().isEmpty()) {
                throw new BoomerangException(ApiErrorCode.API_MALFORMED_PAYLOAD, "the body is not the JSON object this route expects",
                        "send a JSON object; /openapi.json describes its fields");
            }
            String expected = e.getTargetType() == null ? "another type" : typeName(e.getTargetType());
            throw new BoomerangException(ApiErrorCode.API_INVALID_VALUE, "field '" + path(e) + "' has the wrong type or value: expected " + expected,
                    "send a value of that type; /openapi.json describes the fields");
        } catch (JsonMappingException e) {
            throw new BoomerangException(ApiErrorCode.API_INVALID_VALUE, "invalid value" + at(e) + ": " + firstLine(e.getOriginalMessage()),
                    "correct the value; /openapi.json describes the fields");
        } catch (JsonProcessingException e) {
            throw new BoomerangException(ApiErrorCode.API_MALFORMED_PAYLOAD, "the body is not valid JSON: " + firstLine(e.getOriginalMessage()),
                    "send a JSON object; /openapi.json describes its fields");
        }
    }

    private static String at(JsonMappingException e) {
        return e.getPath().isEmpty() ? "" : " in field '" + path(e) + "'";
    }

    /**
     * An explicit {@code null} is refused anywhere in the body: optional fields are left out, never
     * sent as null, so that "not given" has one spelling.
     */
    private static void rejectNulls(JsonNode node, String at) {
        if (node.isObject()) {
            for (var field : node.properties()) {
                String path = at.isEmpty() ? field.getKey() : at + "." + field.getKey();
                if (field.getValue().isNull()) {
                    throw new BoomerangException(ApiErrorCode.API_MISSING_FIELD, "field '" + path + "' is null",
                            "leave an optional field out instead of sending null; send a value for a required one");
                }
                rejectNulls(field.getValue(), path);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                if (node.get(i).isNull()) {
                    throw new BoomerangException(ApiErrorCode.API_MISSING_FIELD, "element '" + at + "[" + i + "]' is null",
                            "remove the null element");
                }
                rejectNulls(node.get(i), at + "[" + i + "]");
            }
        }
    }

    /** The dotted path of the failing field, with {@code [i]} for array elements. */
    static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String typeName(Class<?> type) {
        if (type.isEnum()) {
            StringBuilder sb = new StringBuilder("one of ");
            Object[] constants = type.getEnumConstants();
            for (int i = 0; i < constants.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(((Enum<?>) constants[i]).name());
            }
            return sb.toString();
        }
        return JsonSchemas.jsonTypeName(type);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
