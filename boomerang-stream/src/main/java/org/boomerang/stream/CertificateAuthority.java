package org.boomerang.stream;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.boomerang.common.AtomicFile;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A site's certificate authority for the mutual TLS between the data-plane roles, made with
 * BouncyCastle (no openssl). {@code boomerang certs init DIR} writes, as PEM:
 * <pre>
 * DIR/ca.crt, DIR/ca.key                       the CA (EC P-256, self-signed, 10 years)
 * DIR/ROLE.crt, DIR/ROLE.key for each of ROLES  signed by the CA (EC P-256, 2 years), CN=ROLE,
 *                                              serverAuth + clientAuth, SAN: localhost, this host,
 *                                              127.0.0.1, ::1 and any extra host given
 * </pre>
 * Keys are PKCS#8 files with mode 0600, each written to a temporary file, fsynced and renamed.
 *
 * <p>Thread-safety: instances are immutable.
 */
public final class CertificateAuthority {
    public static final String CA_CERT = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final String AGENT = "agent";
    public static final String PROCESS_SERVER = "process-server";
    public static final String MASTER_TARGET = "master-target";
    /** The roles {@link #initDirectory} makes a certificate for. */
    public static final List<String> ROLES = List.of(AGENT, PROCESS_SERVER, MASTER_TARGET);
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    public static final Duration ROLE_VALIDITY = Duration.ofDays(730);
    private static final String SIGNATURE = "SHA256withECDSA";

    private final X509Certificate certificate;
    private final PrivateKey key;

    private CertificateAuthority(X509Certificate certificate, PrivateKey key) {
        this.certificate = requireNonNull(certificate, "certificate is null");
        this.key = requireNonNull(key, "key is null");
    }

    /** A new CA valid from now for {@code validity}. */
    public static CertificateAuthority create(String name, Duration validity) {
        KeyPair pair = newKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(validity)), subject, pair.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
            return new CertificateAuthority(sign(b, pair.getPrivate()), pair.getPrivate());
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("making a CA certificate failed", e);
        }
    }

    /** The CA written in {@code dir} by {@link #initDirectory}. */
    public static CertificateAuthority load(Path dir) {
        return new CertificateAuthority(PemFiles.readCertificate(dir.resolve(CA_CERT)), PemFiles.readPrivateKey(dir.resolve(CA_KEY)));
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** A certificate for {@code role} valid between {@code notBefore} and {@code notAfter}, with its key. */
    public Issued issue(String role, Set<String> hosts, Instant notBefore, Instant notAfter) {
        KeyPair pair = newKeyPair();
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(), Date.from(notBefore),
                    Date.from(notAfter), new X500Name("CN=" + role), pair.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            b.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            List<GeneralName> names = new ArrayList<>();
            for (String host : hosts) {
                boolean ip = host.matches("[0-9.]+") || host.contains(":");
                names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host));
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            return new Issued(sign(b, key), pair.getPrivate());
        } catch (CertIOException e) {
            throw new IllegalStateException("making the certificate of " + role + " failed", e);
        }
    }

    /** A role's certificate valid from now for {@link #ROLE_VALIDITY}. */
    public Issued issue(String role, Set<String> hosts) {
        Instant now = Instant.now();
        return issue(role, hosts, now.minusSeconds(60), now.plus(ROLE_VALIDITY));
    }

    /** A certificate and its private key. */
    public record Issued(X509Certificate certificate, PrivateKey key) {
        /** Writes {@code dir/NAME.crt} and {@code dir/NAME.key} (mode 0600). */
        public void write(Path dir, String name) throws IOException {
            writeAtomically(dir.resolve(name + ".crt"), PemFiles.certificatePem(certificate), false);
            writeAtomically(dir.resolve(name + ".key"), PemFiles.privateKeyPem(key), true);
        }
    }

    /** What {@link #initDirectory} did. */
    public record InitReport(Path directory, boolean created, List<Path> files) {}

    /**
     * Makes a CA and one certificate per role in {@code dir} (created when absent). A directory that
     * already holds a complete set is kept as it is ({@code created} false), so running it again is
     * harmless; a partial set is an error that says what to do.
     */
    public static InitReport initDirectory(Path dir, Set<String> extraHosts) throws IOException {
        List<Path> files = new ArrayList<>(List.of(dir.resolve(CA_CERT), dir.resolve(CA_KEY)));
        for (String role : ROLES) {
            files.add(dir.resolve(role + ".crt"));
            files.add(dir.resolve(role + ".key"));
        }
        long present = files.stream().filter(Files::exists).count();
        if (present == files.size()) {
            return new InitReport(dir, false, files);
        }
        if (present > 0) {
            throw new FileAlreadyExistsException(dir.toString(), null,
                    "holds only some of the certificate files (" + present + " of " + files.size()
                            + "); remove the directory or pick another one, then run certs init again");
        }
        Files.createDirectories(dir);
        CertificateAuthority ca = create("Boomerang CA " + localHostName(), CA_VALIDITY);
        Set<String> hosts = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        String self = localHostName();
        if (!self.isEmpty()) {
            hosts.add(self);
        }
        hosts.addAll(extraHosts);
        for (String role : ROLES) {
            ca.issue(role, hosts).write(dir, role);
        }
        writeAtomically(dir.resolve(CA_CERT), PemFiles.certificatePem(ca.certificate), false);
        writeAtomically(dir.resolve(CA_KEY), PemFiles.privateKeyPem(ca.key), true);
        return new InitReport(dir, true, files);
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "";
        }
    }

    private static void writeAtomically(Path file, String text, boolean secret) throws IOException {
        AtomicFile.write(file, PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"),
                out -> out.write(text.getBytes(StandardCharsets.US_ASCII)));
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make EC P-256 keys", e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) {
        try {
            ContentSigner s = new JcaContentSignerBuilder(SIGNATURE).build(signer);
            return new JcaX509CertificateConverter().getCertificate(builder.build(s));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("signing a certificate failed", e);
        }
    }
}
