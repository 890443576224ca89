package org.boomerang.nbd.client;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.boomerang.nbd.protocol.NbdProtocol;

/**
 * An NBD export address as written by qemu and libnbd: {@code nbd://host[:port][/export]}. The
 * port defaults to 10809 and the export name to the empty (default) export.
 */
public record NbdUri(String host, int port, String exportName) {
    public static final String SCHEME = "nbd";

    public NbdUri {
        requireNonNull(host, "host is null");
        requireNonNull(exportName, "exportName is null");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** True when {@code text} names an NBD export rather than a file. */
    public static boolean isNbd(String text) {
        return text.startsWith(SCHEME + "://");
    }

    public static NbdUri parse(String text) {
        requireNonNull(text, "text is null");
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw badUri(text, e.getMessage());
        }
        if (!SCHEME.equals(uri.getScheme()) || uri.getHost() == null) {
            throw badUri(text, "expected nbd://host[:port][/export]");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String export = path.startsWith("/") ? path.substring(1) : path;
        export = URLDecoder.decode(export, StandardCharsets.UTF_8);
        if (export.length() > NbdProtocol.MAX_NAME_LENGTH) {
            throw badUri(text, "export name longer than " + NbdProtocol.MAX_NAME_LENGTH + " bytes");
        }
        int port = uri.getPort() < 0 ? NbdProtocol.DEFAULT_PORT : uri.getPort();
        return new NbdUri(uri.getHost(), port, export);
    }

    private static NbdClientException badUri(String text, String why) {
        return new NbdClientException(NbdClientError.NBD_CLIENT_BAD_URI, "not an NBD URI: '" + text + "': " + why,
                "write it as nbd://host:port/export, e.g. nbd://127.0.0.1:10809/disk0");
    }

    @Override
    public String toString() {
        return SCHEME + "://" + host + ":" + port + "/" + exportName;
    }
}
