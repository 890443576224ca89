package org.boomerang.dataplane.roles;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.boomerang.common.config.ValueForm;

/**
 * A {@code HOST:PORT} of a role's listener or peer ({@code [::1]:7001} for IPv6). In a config file it
 * is written as that one string ({@link org.boomerang.common.config.ConfigReader} reads it with
 * {@link Reader}); port 0 picks a free port when listening.
 */
@ValueForm("HOST:PORT such as 127.0.0.1:7002")
@JsonDeserialize(using = Endpoint.Reader.class)
public record Endpoint(String host, int port) {
    public Endpoint {
        requireNonNull(host, "host is null");
        if (host.isBlank()) {
            throw new IllegalArgumentException("the host is empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
    }

    public static Endpoint parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("no port");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new Endpoint(host, Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the port is not a number");
        }
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(host, port);
    }

    @JsonValue
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Reads a config value with {@link #parse}; a refusal says why ({@code no port}), the reader adds the key and value. */
    static final class Reader extends JsonDeserializer<Endpoint> {
        @Override
        public Endpoint deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (Endpoint) ctxt.handleUnexpectedToken(Endpoint.class, p);
            }
            try {
                return parse(p.getText());
            } catch (IllegalArgumentException e) {
                InvalidFormatException f = InvalidFormatException.from(p, e.getMessage(), p.getText(), Endpoint.class);
                f.initCause(e);
                throw f;
            }
        }
    }
}
