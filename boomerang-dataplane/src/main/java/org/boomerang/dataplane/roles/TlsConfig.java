package org.boomerang.dataplane.roles;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import org.boomerang.stream.TlsFiles;

/**
 * The {@code tls} keys every role's config file has: the site's CA certificate, the role's
 * certificate and its private key. The three are required; the reader refuses a file without them.
 */
public record TlsConfig(Path ca, Path cert, Path key) {
    public TlsConfig {
        requireNonNull(ca, "ca is null");
        requireNonNull(cert, "cert is null");
        requireNonNull(key, "key is null");
    }

    /** The files, relative paths resolved against {@code folder} (the config file's folder). */
    public TlsFiles files(Path folder) {
        return new TlsFiles(folder.resolve(ca).normalize(), folder.resolve(cert).normalize(), folder.resolve(key).normalize());
    }
}
