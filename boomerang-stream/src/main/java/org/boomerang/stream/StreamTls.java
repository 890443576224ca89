package org.boomerang.stream;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * The mutual-TLS credentials of one role, loaded once from its {@link TlsFiles}. Servers ask every peer
 * for a certificate and judge it in {@link PeerCertificateCheck}; clients trust the site's CA alone.
 *
 * <p>Thread-safety: immutable.
 */
public final class StreamTls {
    private final X509Certificate ca;
    private final X509Certificate certificate;
    private final PrivateKey key;

    private StreamTls(X509Certificate ca, X509Certificate certificate, PrivateKey key) {
        this.ca = ca;
        this.certificate = certificate;
        this.key = key;
    }

    /** Reads the files; a missing or damaged one is {@code BAD_CERTIFICATE_FILE} naming it. */
    public static StreamTls load(TlsFiles files) {
        return new StreamTls(PemFiles.readCertificate(files.caCertificate()), PemFiles.readCertificate(files.certificate()),
                PemFiles.readPrivateKey(files.privateKey()));
    }

    /** The subject of this role's own certificate, e.g. {@code CN=agent}. */
    public String subject() {
        return certificate.getSubjectX500Principal().getName();
    }

    ServerCredentials serverCredentials() {
        return TlsServerCredentials.newBuilder()
                .keyManager(PeerCertificates.keyManagers(certificate, key))
                .trustManager(PeerCertificates.acceptingTrustManagers())
                .clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL)
                .build();
    }

    ServerInterceptor peerCheck(String self) {
        return new PeerCertificateCheck(ca, self);
    }

    ChannelCredentials channelCredentials() {
        return TlsChannelCredentials.newBuilder()
                .keyManager(PeerCertificates.keyManagers(certificate, key))
                .trustManager(PeerCertificates.clientTrustManagers(ca))
                .build();
    }
}
