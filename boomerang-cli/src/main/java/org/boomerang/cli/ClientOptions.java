package org.boomerang.cli;

import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.Option;

/**
 * The options every command that talks to the server shares. The token is better given in
 * {@code BOOMERANG_TOKEN} than on the command line, where other users of the machine can see it
 * in the process list.
 */
public final class ClientOptions {
    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:BOOMERANG_SERVER:-http://127.0.0.1:8080}",
            description = "The control server's address (default: $BOOMERANG_SERVER or ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:BOOMERANG_TOKEN}",
            description = "The API token (default: $BOOMERANG_TOKEN); create one with 'boomerang server token create'.")
    String token;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table", converter = OutputFormat.Converter.class,
            description = "How to print data: table or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    public ApiClient client() {
        URI uri;
        try {
            uri = new URI(server.endsWith("/") ? server : server + "/");
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--server is not a URL: " + server);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("--server must start with http:// or https://, got " + server);
        }
        return new ApiClient(uri, token);
    }

    public OutputFormat output() {
        return output;
    }
}
