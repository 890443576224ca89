package org.boomerang.api;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP proxy on 127.0.0.1 and an ephemeral port in front of a real API server, for clients the
 * test does not call itself (the CLI): every response passes through unchanged and is checked
 * against the served OpenAPI document by an {@link OpenApiValidator}; what does not conform is kept
 * in {@link #failures()}. Server-sent event streams are passed through as they come and not
 * checked (their events are JSON the document does not type). Close it after the test.
 */
public final class ValidatingProxy implements AutoCloseable {
    /** Headers java.net.http sets itself and refuses to be given, and hop-by-hop ones. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive");
    private static final int BUFFER = 8192;

    private final URI upstream;
    private final OpenApiValidator validator;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer server;
    private final List<String> failures = new CopyOnWriteArrayList<>();

    public ValidatingProxy(String upstreamBase, OpenApiValidator validator) throws IOException {
        this.upstream = URI.create(requireNonNull(upstreamBase, "upstreamBase is null"));
        this.validator = requireNonNull(validator, "validator is null");
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** One line per response that did not conform: the operation, the problems and the body. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] requestBody = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder b = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
                    .method(exchange.getRequestMethod(), requestBody.length == 0
                            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(requestBody));
            for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
                if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    h.getValue().forEach(v -> b.header(h.getKey(), v));
                }
            }
            HttpResponse<InputStream> r;
            try {
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while proxying", e);
            }
            for (Map.Entry<String, List<String>> h : r.headers().map().entrySet()) {
                if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT)) && !h.getKey().startsWith(":")) {
                    exchange.getResponseHeaders().put(h.getKey(), h.getValue());
                }
            }
            String contentType = r.headers().firstValue("Content-Type").orElse(null);
            try (InputStream in = r.body(); OutputStream out = exchange.getResponseBody()) {
                if (contentType != null && contentType.startsWith("text/event-stream")) {
                    exchange.sendResponseHeaders(r.statusCode(), 0);
                    byte[] buf = new byte[BUFFER];
                    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                    return;
                }
                byte[] body = in.readAllBytes();
                OpenApiValidator.Verdict v = validator.check(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        r.statusCode(), contentType, new String(body, StandardCharsets.UTF_8));
                if (!v.ok()) {
                    failures.add(v.operation() + ": " + v.problems() + " body: " + new String(body, StandardCharsets.UTF_8));
                }
                exchange.sendResponseHeaders(r.statusCode(), body.length == 0 ? -1 : body.length);
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
