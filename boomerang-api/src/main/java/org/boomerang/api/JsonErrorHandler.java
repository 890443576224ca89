package org.boomerang.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.boomerang.common.BoomerangException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own failures as the API's JSON error: requests refused before any route sees them (a URI
 * too long, {@code %00} or another bad escape in the path, headers too large, a malformed request
 * line) and errors Jetty answers itself. The body is the {@link org.boomerang.api.dto.ApiError} of
 * {@link ApiErrorCode#forHttpStatus the code for the status}.
 *
 * <p>The rule for HTML: a request whose path is outside {@code /api/} and whose {@code Accept}
 * header asks for {@code text/html} (a browser on the web portal) gets Jetty's HTML page; every
 * other request gets JSON. A request Jetty cannot parse at all has no trustworthy path, so it always
 * gets JSON. Thread-safe.
 */
final class JsonErrorHandler extends ErrorHandler {
    private final ObjectMapper mapper;
    private final ErrorRenderer renderer;

    JsonErrorHandler(ObjectMapper mapper, ErrorRenderer renderer) {
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.renderer = requireNonNull(renderer, "renderer is null");
        setShowStacks(false);
        setShowServlet(false);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status, reason));
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response,
            int code, String message) throws IOException {
        String accept = request.getHeader("Accept");
        String path = request.getRequestURI() == null ? "" : request.getRequestURI();
        if (!path.startsWith("/api/") && accept != null && accept.contains("text/html")) {
            super.generateAcceptableResponse(baseRequest, request, response, code, message);
            return;
        }
        baseRequest.setHandled(true);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        byte[] body = body(code, message);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private byte[] body(int status, String reason) {
        ApiErrorCode code = ApiErrorCode.forHttpStatus(status);
        String why = reason == null || reason.isBlank() ? "" : " (" + reason + ")";
        BoomerangException e = switch (status) {
            case 414 -> new BoomerangException(code, "the request URI is too long" + why,
                    "ids are at most " + IdGrammar.MAX_LENGTH + " characters; send long data in the body");
            case 431 -> new BoomerangException(code, "the request headers are too large" + why, "send fewer or shorter headers");
            case 413 -> new BoomerangException(code, "the request body is too large" + why,
                    "see docs/api.md for the body limit (server config api.max-body-bytes)");
            case 405 -> new BoomerangException(code, "this method is not allowed on this path" + why,
                    "GET /openapi.json lists every route and its methods");
            case 404 -> new BoomerangException(code, "no such route" + why, "GET /openapi.json lists every route");
            case 401 -> new BoomerangException(code, "authentication is required" + why, "send 'Authorization: Bearer <token>'");
            default -> status >= 500
                    ? new BoomerangException(code, "the server failed to answer" + why, "retry; if it persists the server log has the details")
                    : new BoomerangException(code, "the request cannot be read: HTTP " + status + why,
                            "check the URI (no %00, no bad %-escapes) and the headers; ids follow the grammar in docs/api.md");
        };
        try {
            return mapper.writeValueAsBytes(renderer.render(e).body());
        } catch (JsonProcessingException x) {
            return ("{\"code\":\"" + code.name() + "\"}").getBytes(StandardCharsets.UTF_8);
        }
    }
}
