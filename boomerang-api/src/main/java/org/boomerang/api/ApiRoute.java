package org.boomerang.api;

import static java.util.Objects.requireNonNull;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One route of the API: what {@link ApiServer} registers, what it checks before the handler
 * runs (the {@link Access}), and what {@code /openapi.json} says about it. Because the server
 * registers and documents routes from the same records, the document cannot drift from the
 * routes.
 *
 * @param method       the HTTP method
 * @param path         the path with {@code {name}} parameters, e.g. {@code /api/v1/items/{id}}
 * @param access       who may call it
 * @param operationId  the OpenAPI operation id, unique across the API
 * @param summary      one line for the document and the CLI's help
 * @param tag          the area (items, plans, jobs, …)
 * @param requestBody  the record the body must be, or empty when the route takes no body
 * @param bodyRequired whether a request without a body is refused (else the route's defaults apply)
 * @param responseBody the type of the response body, or empty for {@code 204 No Content}
 * @param mediaType    the media type of a successful response's body ({@code application/json} but for text routes)
 * @param status       the status of a successful response
 * @param queryParams  the query parameters the route reads
 * @param handler      the code that answers a normal request, or null for an event stream
 * @param stream       the code that feeds a server-sent event stream, or null
 */
public record ApiRoute(
        Method method,
        String path,
        Access access,
        String operationId,
        String summary,
        String tag,
        Optional<Class<?>> requestBody,
        boolean bodyRequired,
        Optional<Type> responseBody,
        String mediaType,
        int status,
        List<QueryParam> queryParams,
        RouteHandler handler,
        EventStream stream) {
    /** The media type of JSON bodies. */
    public static final String JSON = "application/json";
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9]*)}");

    public ApiRoute {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        requireNonNull(access, "access is null");
        requireNonNull(operationId, "operationId is null");
        requireNonNull(summary, "summary is null");
        requireNonNull(tag, "tag is null");
        requireNonNull(requestBody, "requestBody is null");
        requireNonNull(responseBody, "responseBody is null");
        requireNonNull(mediaType, "mediaType is null");
        queryParams = List.copyOf(queryParams);
        if ((handler == null) == (stream == null)) {
            throw new IllegalArgumentException(operationId + ": a route has exactly one of handler and stream");
        }
    }

    /** The HTTP methods the API uses. */
    public enum Method {
        GET,
        POST,
        PUT,
        DELETE
    }

    /** A query parameter of a route, for the document and for checking. */
    public record QueryParam(String name, Class<?> type, String description) {}

    /** Answers one request; returns the response body (null for 204). */
    @FunctionalInterface
    public interface RouteHandler {
        Object handle(ApiCall call) throws Exception;
    }

    /**
     * A server-sent event stream. {@link #open} runs before the stream starts, so a bad request
     * (unknown job, wrong parameter) still gets a normal JSON error; the returned {@link Feed}
     * then sends events until it is done or the client leaves.
     */
    @FunctionalInterface
    public interface EventStream {
        Feed open(ApiCall call) throws Exception;
    }

    /** Sends the events of one open stream; returning ends the stream. */
    @FunctionalInterface
    public interface Feed {
        void run(EventSink sink) throws Exception;
    }

    /** Where an {@link EventStream} sends its events. */
    public interface EventSink {
        /** Sends one event with a JSON body; false when the client has gone. */
        boolean send(String event, Object data);

        /** Sends a comment line so that idle connections are not closed by proxies or the server. */
        void keepAlive();

        boolean closed();
    }

    public boolean isEventStream() {
        return stream != null;
    }

    /** The names of the path parameters, in order. */
    public List<String> pathParams() {
        List<String> names = new ArrayList<>();
        Matcher m = PATH_PARAM.matcher(path);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    public static Builder get(String path, String operationId) {
        return new Builder(Method.GET, path, operationId, 200);
    }

    public static Builder post(String path, String operationId) {
        return new Builder(Method.POST, path, operationId, 200);
    }

    public static Builder put(String path, String operationId) {
        return new Builder(Method.PUT, path, operationId, 200);
    }

    public static Builder delete(String path, String operationId) {
        return new Builder(Method.DELETE, path, operationId, 200);
    }

    /** {@code List<element>} as a reflective type, for {@link Builder#returns(Type)}. */
    public static Type listOf(Class<?> element) {
        return new ListType(element);
    }

    private record ListType(Class<?> element) implements ParameterizedType {
        @Override
        public Type[] getActualTypeArguments() {
            return new Type[] {element};
        }

        @Override
        public Type getRawType() {
            return List.class;
        }

        @Override
        public Type getOwnerType() {
            return null;
        }
    }

    /** Builds a route; {@link #access(Access)}, {@link #summary(String)} and {@link #tag(String)} are required. */
    public static final class Builder {
        private final Method method;
        private final String path;
        private final String operationId;
        private int status;
        private Access access;
        private String summary;
        private String tag;
        private Class<?> requestBody;
        private boolean bodyRequired;
        private Type responseBody;
        private String mediaType = JSON;
        private final List<QueryParam> queryParams = new ArrayList<>();

        private Builder(Method method, String path, String operationId, int status) {
            this.method = method;
            this.path = path;
            this.operationId = operationId;
            this.status = status;
        }

        public Builder access(Access value) {
            this.access = value;
            return this;
        }

        public Builder summary(String value) {
            this.summary = value;
            return this;
        }

        public Builder tag(String value) {
            this.tag = value;
            return this;
        }

        public Builder body(Class<?> value) {
            this.requestBody = value;
            this.bodyRequired = true;
            return this;
        }

        /** A body whose fields are all optional; the request may leave it out entirely. */
        public Builder optionalBody(Class<?> value) {
            this.requestBody = value;
            this.bodyRequired = false;
            return this;
        }

        public Builder returns(Type value) {
            this.responseBody = value;
            return this;
        }

        /** A text body of {@code type} (e.g. {@code text/plain}), written by the handler as a {@link RawBody}. */
        public Builder returnsText(String type) {
            this.responseBody = String.class;
            this.mediaType = requireNonNull(type, "type is null");
            return this;
        }

        public Builder status(int value) {
            this.status = value;
            return this;
        }

        public Builder query(String name, Class<?> type, String description) {
            queryParams.add(new QueryParam(name, type, description));
            return this;
        }

        public ApiRoute handle(RouteHandler handler) {
            int s = responseBody == null && status == 200 ? 204 : status;
            return new ApiRoute(method, path, access, operationId, summary, tag, Optional.ofNullable(requestBody), bodyRequired,
                    Optional.ofNullable(responseBody), mediaType, s, queryParams, requireNonNull(handler, "handler is null"), null);
        }

        public ApiRoute stream(EventStream stream) {
            return new ApiRoute(method, path, access, operationId, summary, tag, Optional.ofNullable(requestBody), bodyRequired,
                    Optional.ofNullable(responseBody), mediaType, status, queryParams, null, requireNonNull(stream, "stream is null"));
        }
    }
}
