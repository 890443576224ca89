package org.boomerang.dataplane.roles;

import org.boomerang.stream.TlsFiles;

/** The {@code tls} keys every role has: the site's CA certificate, the role's certificate and key. */
public final class TlsConfig {
    private TlsConfig() {}

    /** Reads {@code tls: {ca, cert, key}}. */
    public static TlsFiles read(ConfigNode root, String role) {
        ConfigNode tls = root.object("tls", "{ca: certs/ca.crt, cert: certs/" + role + ".crt, key: certs/" + role + ".key}");
        tls.allowOnly("ca", "cert", "key");
        return new TlsFiles(tls.path("ca", "certs/ca.crt"), tls.path("cert", "certs/" + role + ".crt"), tls.path("key", "certs/" + role + ".key"));
    }
}
