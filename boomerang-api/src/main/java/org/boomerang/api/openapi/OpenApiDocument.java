package org.boomerang.api.openapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.boomerang.api.ApiRoute;
import org.boomerang.api.dto.ApiError;
import org.boomerang.api.json.JsonSchemas;

/**
 * Writes the OpenAPI 3.1 document of a route table: one operation per {@link ApiRoute} with its
 * parameters, body and response schemas (by reflection over the records: required and nullable
 * fields as {@link JsonSchemas} says), its role as
 * {@code x-boomerang-role}, and the error responses every route can give. Built from the very
 * list the server registers, so every route is documented and every documented route exists.
 */
public final class OpenApiDocument {
    private OpenApiDocument() {}

    public static Map<String, Object> of(List<ApiRoute> routes, String version) {
        JsonSchemas schemas = new JsonSchemas();
        Map<String, Object> errorRef = schemas.schemaOf(ApiError.class);
        // Responses first: a record that is also read in requests keeps its plain name for the response.
        for (ApiRoute route : routes) {
            route.responseBody().ifPresent(schemas::schemaOf);
        }
        Map<String, Object> paths = new TreeMap<>();
        for (ApiRoute route : routes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(route.path(), p -> new LinkedHashMap<>());
            item.put(route.method().name().toLowerCase(java.util.Locale.ROOT), operation(route, schemas, errorRef));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", Map.of("title", "Boomerang control server API", "version", version,
                "description", "Protect, fail over, commit, reprotect and fail back machines. Every error body is an ApiError; "
                        + "its category decides the HTTP status and the CLI's exit code."));
        doc.put("paths", paths);
        doc.put("components", Map.of(
                "schemas", schemas.components(),
                "securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer",
                        "description", "An API token from 'boomerang server token create --role reader|operator|admin'."))));
        return doc;
    }

    private static Map<String, Object> operation(ApiRoute route, JsonSchemas schemas, Map<String, Object> errorRef) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", route.operationId());
        op.put("summary", route.summary());
        op.put("tags", List.of(route.tag()));
        op.put("x-boomerang-role", route.access().label());
        op.put("security", route.access().role().isPresent() ? List.of(Map.of("bearer", List.of())) : List.of());
        List<Object> params = new ArrayList<>();
        for (String name : route.pathParams()) {
            params.add(Map.of("name", name, "in", "path", "required", true, "schema", Map.of("type", "string")));
        }
        for (ApiRoute.QueryParam q : route.queryParams()) {
            params.add(Map.of("name", q.name(), "in", "query", "required", false, "description", q.description(),
                    "schema", schemas.schemaOf(q.type(), JsonSchemas.Direction.REQUEST)));
        }
        if (!params.isEmpty()) {
            op.put("parameters", params);
        }
        route.requestBody().ifPresent(body -> op.put("requestBody", Map.of("required", route.bodyRequired(),
                "content", Map.of(ApiRoute.JSON, Map.of("schema", schemas.schemaOf(body, JsonSchemas.Direction.REQUEST))))));
        Map<String, Object> responses = new LinkedHashMap<>();
        Map<String, Object> ok = new LinkedHashMap<>();
        ok.put("description", route.isEventStream() ? "server-sent events" : "success");
        if (route.isEventStream()) {
            ok.put("content", Map.of("text/event-stream", Map.of("schema", route.responseBody().map(schemas::schemaOf).orElse(Map.of("type", "string")))));
        } else {
            route.responseBody().ifPresent(t -> ok.put("content", Map.of(route.mediaType(), Map.of("schema", schemas.schemaOf(t)))));
        }
        responses.put(Integer.toString(route.status()), ok);
        responses.put("default", Map.of("description", "an error; the status is that of the error's category",
                "content", Map.of(ApiRoute.JSON, Map.of("schema", errorRef))));
        op.put("responses", responses);
        return op;
    }
}
