package org.boomerang.stream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * Reads and formats the PEM files of the certificates (RFC 7468): {@code CERTIFICATE} blocks and
 * {@code PRIVATE KEY} (PKCS#8, unencrypted) blocks of EC keys. Stateless.
 */
public final class PemFiles {
    private static final String CERT_LABEL = "CERTIFICATE";
    private static final String KEY_LABEL = "PRIVATE KEY";
    private static final int LINE = 64;

    private PemFiles() {}

    public static String certificatePem(X509Certificate certificate) {
        try {
            return pem(CERT_LABEL, certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encoding a certificate failed", e);
        }
    }

    public static String privateKeyPem(PrivateKey key) {
        return pem(KEY_LABEL, key.getEncoded());
    }

    public static X509Certificate readCertificate(Path file) {
        byte[] der = block(file, CERT_LABEL);
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw bad(file, "is not a valid X.509 certificate (" + e.getMessage() + ")");
        }
    }

    public static PrivateKey readPrivateKey(Path file) {
        refuseOpenKey(file);
        byte[] der = block(file, KEY_LABEL);
        for (String algorithm : new String[] {"EC", "RSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw bad(file, "holds no EC or RSA PKCS#8 private key");
    }

    private static String pem(String label, byte[] der) {
        String b64 = Base64.getMimeEncoder(LINE, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + b64 + "\n-----END " + label + "-----\n";
    }

    private static byte[] block(Path file, String label) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw bad(file, "does not exist");
        } catch (AccessDeniedException e) {
            throw bad(file, "cannot be read (permission denied)");
        } catch (IOException e) {
            throw bad(file, "cannot be read (" + e.getMessage() + ")");
        }
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < b) {
            throw bad(file, "holds no PEM block '" + label + "'");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
        } catch (IllegalArgumentException ex) {
            throw bad(file, "holds a damaged PEM block '" + label + "'");
        }
    }

    /**
     * A private key others may read is as good as published: refused, as ssh does, before it is
     * used. On a file system without POSIX permissions there is nothing to check.
     */
    private static void refuseOpenKey(Path file) {
        Set<PosixFilePermission> perms;
        try {
            if (!Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
                return;
            }
            perms = Files.getPosixFilePermissions(file);
        } catch (IOException e) {
            return; // missing or unreadable: block() says which
        }
        Set<PosixFilePermission> others = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
        others.retainAll(perms);
        if (!others.isEmpty()) {
            throw new StreamException(StreamError.PRIVATE_KEY_TOO_OPEN, file + " is a private key that others than its owner may use ("
                    + PosixFilePermissions.toString(perms) + ")", "make it readable by its owner only: chmod 600 " + file);
        }
    }

    private static StreamException bad(Path file, String what) {
        return new StreamException(StreamError.BAD_CERTIFICATE_FILE, file + " " + what,
                "make the certificates with: boomerang certs init DIR, and point the role's tls keys at them");
    }
}
