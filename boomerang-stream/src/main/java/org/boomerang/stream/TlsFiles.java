package org.boomerang.stream;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * The mutual-TLS material of one role: the site's CA certificate (the only issuer it trusts), its own
 * certificate and its PKCS#8 private key, all PEM files as {@link CertificateAuthority} writes them.
 */
public record TlsFiles(Path caCertificate, Path certificate, Path privateKey) {
    public TlsFiles {
        requireNonNull(caCertificate, "caCertificate is null");
        requireNonNull(certificate, "certificate is null");
        requireNonNull(privateKey, "privateKey is null");
    }

    /** The files of {@code role} in a directory made by {@code boomerang certs init}. */
    public static TlsFiles inDirectory(Path dir, String role) {
        return new TlsFiles(dir.resolve(CertificateAuthority.CA_CERT), dir.resolve(role + ".crt"), dir.resolve(role + ".key"));
    }
}
