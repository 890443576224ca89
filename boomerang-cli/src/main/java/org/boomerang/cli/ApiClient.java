package org.boomerang.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.boomerang.api.dto.ApiError;
import org.boomerang.common.BoomerangException;

/**
 * A small client of the REST API over {@code java.net.http}: JSON requests with the bearer token,
 * typed responses, server errors rethrown as {@link BoomerangException} with the server's code and
 * category, and server-sent event streams. Never prints or logs the token. Thread-safe.
 */
public final class ApiClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

    private final URI server;
    private final String token;
    private final HttpClient http;
    private final ObjectMapper mapper;

    public ApiClient(URI server, String token) {
        this.server = requireNonNull(server, "server is null");
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        this.mapper = mapper();
    }

    /** The CLI's JSON mapping: tolerant of fields and enum values a newer server adds; leaves nulls out of requests. */
    public static ObjectMapper mapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                // A newer server may add enum values: read them as the enum's UNKNOWN, or as null where it has none.
                .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
                .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
    }

    public ObjectMapper json() {
        return mapper;
    }

    public URI server() {
        return server;
    }

    public <T> T get(String path, Class<T> type) {
        return send("GET", path, null, mapper.constructType(type));
    }

    public <T> T get(String path, TypeReference<T> type) {
        return send("GET", path, null, mapper.constructType(type));
    }

    public <T> T post(String path, Object body, Class<T> type) {
        return send("POST", path, body, mapper.constructType(type));
    }

    public <T> T put(String path, Object body, Class<T> type) {
        return send("PUT", path, body, mapper.constructType(type));
    }

    public <T> T delete(String path, Class<T> type) {
        return send("DELETE", path, null, mapper.constructType(type));
    }

    private <T> T send(String method, String path, Object body, JavaType type) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a request body", e);
        }
        HttpRequest.Builder request = request(path, "application/json").timeout(REQUEST_TIMEOUT).method(method, publisher);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = exchange(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
            throw errorOf(response.statusCode(), response.body());
        }
        if (response.statusCode() == 204 || type.getRawClass() == Void.class) {
            return null;
        }
        try {
            return mapper.readValue(response.body(), type);
        } catch (JsonProcessingException e) {
            throw new BoomerangException(CliError.CLI_BAD_RESPONSE, "the server at " + server + " answered " + method + " " + path
                    + " with something that is not the expected JSON", "check that --server points at a Boomerang control server", e);
        }
    }

    /**
     * Reads the server-sent events of {@code path}, calling {@code onEvent} for each until it
     * returns false or the stream ends. Returns true when {@code onEvent} stopped it.
     */
    public boolean events(String path, Predicate<ServerEvent> onEvent) {
        HttpRequest request = request(path, "text/event-stream").GET().build();
        HttpResponse<Stream<String>> response = exchange(request, HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body()) {
            if (response.statusCode() >= 400) {
                throw errorOf(response.statusCode(), String.join("\n", (Iterable<String>) lines::iterator));
            }
            String event = "message";
            StringBuilder data = new StringBuilder();
            for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.isEmpty()) {
                    if (!data.isEmpty() && !onEvent.test(new ServerEvent(event, data.toString()))) {
                        return true;
                    }
                    event = "message";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    if (!data.isEmpty()) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).stripLeading());
                }
            }
            return false;
        } catch (java.io.UncheckedIOException e) {
            throw unreachable(e.getCause());
        }
    }

    /** One server-sent event: its name and its data (JSON). */
    public record ServerEvent(String event, String data) {}

    public <T> T parse(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new BoomerangException(CliError.CLI_BAD_RESPONSE, "the server sent an event that is not the expected JSON",
                    "check that the CLI and the server are the same version", e);
        }
    }

    /** The exception for an error response; uses the server's code and category when the body is an ApiError. */
    BoomerangException errorOf(int status, String body) {
        ApiError error = null;
        try {
            error = mapper.readValue(body, ApiError.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // not an ApiError: a proxy or another service answered
        }
        if (error == null || error.code() == null) {
            return new BoomerangException(CliError.CLI_BAD_RESPONSE, "the server at " + server + " answered HTTP " + status + " without an API error",
                    "check that --server points at a Boomerang control server");
        }
        StringBuilder hint = new StringBuilder(error.hint());
        if (error.state() != null) {
            hint.append(hint.isEmpty() ? "" : "; ").append("state: ").append(error.state());
            if (!error.allowedActions().isEmpty()) {
                hint.append(", allowed now: ").append(String.join(", ", error.allowedActions()));
            }
        }
        return new BoomerangException(RemoteErrorCode.of(error.code(), error.category()), error.message(), hint.toString());
    }

    private HttpRequest.Builder request(String path, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path)).header("Accept", accept);
        if (token != null && !token.isBlank()) {
            b.header("Authorization", "Bearer " + token.trim());
        }
        return b;
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BoomerangException(CliError.CLI_SERVER_UNREACHABLE, "interrupted while talking to " + server, "run the command again", e);
        }
    }

    private BoomerangException unreachable(Throwable e) {
        String why = e instanceof ConnectException ? "connection refused"
                : e instanceof HttpTimeoutException ? "timed out" : String.valueOf(e.getMessage());
        return new BoomerangException(CliError.CLI_SERVER_UNREACHABLE, "cannot reach the control server at " + server + " (" + why + ")",
                "start it with 'boomerang server', or point --server (or BOOMERANG_SERVER) at it", e);
    }
}
