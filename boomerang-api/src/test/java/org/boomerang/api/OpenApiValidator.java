package org.boomerang.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks real responses against the OpenAPI document the server serves, with networknt's
 * json-schema-validator (JSON Schema 2020-12, the dialect of OpenAPI 3.1): the request's path is
 * matched to the document's path templates, the status to the operation's responses (else
 * {@code default}), the content type to the response's media types, and a JSON body is validated
 * against that media type's schema. A path no route matches must answer an {@code ApiError}.
 * Thread-safe; remembers which operations and statuses it has checked.
 */
public final class OpenApiValidator {
    private static final String BASE = "https://boomerang.invalid/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode document;
    private final SchemaRegistry registry;
    private final List<Template> templates = new ArrayList<>();
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private final Set<String> checked = ConcurrentHashMap.newKeySet();

    /** One documented path: its template and the pattern a concrete path must match. */
    private record Template(String path, Pattern pattern, int literals) {}

    /** What was wrong with one response; empty when it conforms. */
    public record Verdict(String operation, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public OpenApiValidator(String documentText) {
        requireNonNull(documentText, "documentText is null");
        try {
            this.document = JSON.readTree(documentText);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the OpenAPI document is not JSON: " + e.getMessage(), e);
        }
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemas(Map.of(BASE, documentText)));
        for (Iterator<String> it = document.path("paths").fieldNames(); it.hasNext(); ) {
            String path = it.next();
            String regex = "\\Q" + path.replaceAll("\\{[^/}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
            int literals = (int) java.util.Arrays.stream(path.split("/")).filter(s -> !s.startsWith("{")).count();
            templates.add(new Template(path, Pattern.compile(regex), literals));
        }
        templates.sort(Comparator.comparingInt(Template::literals).reversed().thenComparing(Template::path));
    }

    /** The document as parsed. */
    public JsonNode document() {
        return document;
    }

    /** {@code "GET /api/v1/items/{id} 200"} for every response checked so far, sorted. */
    public Set<String> checked() {
        return new TreeSet<>(checked);
    }

    /**
     * Checks one response. {@code path} is the request's path without its query; {@code contentType}
     * the response's header (null when absent).
     */
    public Verdict check(String method, String path, int status, String contentType, String body) {
        String m = method.toLowerCase(Locale.ROOT);
        Optional<Template> template = templates.stream().filter(t -> t.pattern().matcher(path).matches())
                .filter(t -> document.path("paths").path(t.path()).has(m)).findFirst();
        List<String> problems = new ArrayList<>();
        if (template.isEmpty()) {
            String op = method + " (no route) " + status;
            checked.add(op);
            problems.addAll(validate("#/components/schemas/ApiError", contentType, body, "application/json"));
            return new Verdict(op, problems);
        }
        String op = method + " " + template.get().path() + " " + status;
        checked.add(op);
        JsonNode responses = document.path("paths").path(template.get().path()).path(m).path("responses");
        String key = responses.has(Integer.toString(status)) ? Integer.toString(status) : "default";
        if (!responses.has(key)) {
            return new Verdict(op, List.of("status " + status + " is not documented and there is no default response"));
        }
        if (key.equals("default") && status < 400) {
            problems.add("status " + status + " is not documented (only errors may fall to the default response)");
        }
        JsonNode content = responses.path(key).path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            if (body != null && !body.isEmpty()) {
                problems.add("the document says no body, the server sent " + abbreviate(body));
            }
            return new Verdict(op, problems);
        }
        String actual = contentType == null ? "" : baseType(contentType);
        String documented = null;
        for (Iterator<String> it = content.fieldNames(); it.hasNext(); ) {
            String candidate = it.next();
            if (baseType(candidate).equals(actual)) {
                documented = candidate;
            }
        }
        if (documented == null) {
            problems.add("content type '" + contentType + "' is not among the documented " + iterable(content.fieldNames()));
            return new Verdict(op, problems);
        }
        if (actual.equals("application/json")) {
            String pointer = "#/paths/" + escape(template.get().path()) + "/" + m + "/responses/" + key + "/content/" + escape(documented) + "/schema";
            problems.addAll(validate(pointer, contentType, body, "application/json"));
        }
        return new Verdict(op, problems);
    }

    private List<String> validate(String pointer, String contentType, String body, String expectedType) {
        if (contentType == null || !baseType(contentType).equals(expectedType)) {
            return List.of("content type '" + contentType + "', expected " + expectedType);
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (java.io.IOException e) {
            return List.of("the body is not JSON: " + abbreviate(body));
        }
        Schema schema = schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(BASE + p)));
        List<String> out = new ArrayList<>();
        for (Error e : schema.validate(node)) {
            out.add(e.toString());
        }
        return out;
    }

    private static String baseType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** A JSON pointer token: {@code ~} as {@code ~0}, {@code /} as {@code ~1}, then URI-escaped for the fragment. */
    private static String escape(String token) {
        String t = token.replace("~", "~0").replace("/", "~1");
        return t.replace("{", "%7B").replace("}", "%7D").replace(" ", "%20").replace(";", "%3B").replace("=", "%3D");
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static String abbreviate(String body) {
        return body.length() <= 200 ? body : body.substring(0, 200) + "…";
    }
}
