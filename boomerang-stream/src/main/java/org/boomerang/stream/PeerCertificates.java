package org.boomerang.stream;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How the roles judge each other's certificates, in words an operator can act on: a peer's leaf
 * certificate must be signed by the site's CA and valid now. Used by the server side after the TLS
 * handshake ({@link PeerCertificateCheck}) and by the client side during it ({@link #clientTrustManagers}).
 */
public final class PeerCertificates {
    private PeerCertificates() {}

    /** Why {@code leaf} is not acceptable, or empty when it is. */
    public static Optional<String> refusal(X509Certificate leaf, X509Certificate ca, Date now) {
        try {
            leaf.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            return Optional.of("its certificate (" + leaf.getSubjectX500Principal().getName() + ", issued by "
                    + leaf.getIssuerX500Principal().getName() + ") is not signed by this site's CA ("
                    + ca.getSubjectX500Principal().getName() + ")");
        }
        if (now.after(leaf.getNotAfter())) {
            return Optional.of("its certificate (" + leaf.getSubjectX500Principal().getName() + ") expired on " + leaf.getNotAfter().toInstant());
        }
        if (now.before(leaf.getNotBefore())) {
            return Optional.of("its certificate (" + leaf.getSubjectX500Principal().getName() + ") is not valid before "
                    + leaf.getNotBefore().toInstant());
        }
        return Optional.empty();
    }

    /** Key managers presenting {@code certificate} with {@code key}. */
    static KeyManager[] keyManagers(X509Certificate certificate, PrivateKey key) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] none = new char[0];
            ks.setKeyEntry("role", key, none, new X509Certificate[] {certificate});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, none);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("loading the role's key into a key store failed", e);
        }
    }

    /**
     * The server side's trust managers: they let any certificate through the handshake (and ask for one
     * without naming issuers, so a peer of another CA still presents its own), because
     * {@link PeerCertificateCheck} then refuses every call of a bad peer with a status that tells the peer
     * why — a failed handshake would tell it nothing.
     */
    static TrustManager[] acceptingTrustManagers() {
        return new TrustManager[] {new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
                throw new CertificateException("a server side never judges servers");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                throw new CertificateException("a server side never judges servers");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("a server side never judges servers");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }};
    }

    /**
     * The client side's trust managers: PKIX against the site's CA alone (host names checked by gRPC),
     * with a refusal that names the server and the reason.
     */
    static TrustManager[] clientTrustManagers(X509Certificate ca) {
        X509ExtendedTrustManager pkix;
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ks);
            pkix = (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("loading the CA into a trust store failed", e);
        }
        return new TrustManager[] {new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
                pkix.checkClientTrusted(chain, authType, socket);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
                judge(chain, () -> pkix.checkServerTrusted(chain, authType, socket), peer(socket));
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                pkix.checkClientTrusted(chain, authType, engine);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                judge(chain, () -> pkix.checkServerTrusted(chain, authType, engine),
                        engine == null ? "server" : "server " + engine.getPeerHost() + ":" + engine.getPeerPort());
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                pkix.checkClientTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                judge(chain, () -> pkix.checkServerTrusted(chain, authType), "server");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return pkix.getAcceptedIssuers();
            }

            private void judge(X509Certificate[] chain, Check check, String peer) throws CertificateException {
                if (chain != null && chain.length > 0) {
                    Optional<String> why = refusal(chain[0], ca, new Date());
                    if (why.isPresent()) {
                        throw new CertificateException(StreamError.PEER_CERTIFICATE_REFUSED + ": refused " + peer + ": " + why.get());
                    }
                }
                try {
                    check.run();
                } catch (CertificateException e) {
                    throw new CertificateException(StreamError.PEER_CERTIFICATE_REFUSED + ": refused " + peer + ": " + e.getMessage(), e);
                }
            }
        }};
    }

    private static String peer(Socket socket) {
        return socket == null ? "server" : "server " + socket.getRemoteSocketAddress();
    }

    private interface Check {
        void run() throws CertificateException;
    }
}
