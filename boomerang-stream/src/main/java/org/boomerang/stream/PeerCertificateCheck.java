package org.boomerang.stream;

import static java.util.Objects.requireNonNull;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of mutual TLS: every call's peer must have presented a certificate signed by the
 * site's CA and valid now; otherwise the call is closed with {@code UNAUTHENTICATED} and a description
 * {@code PEER_CERTIFICATE_REFUSED: …} naming the peer and the reason, and the refusal is logged.
 * No handler of a refused call ever runs.
 */
final class PeerCertificateCheck implements ServerInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(PeerCertificateCheck.class);
    private final X509Certificate ca;
    private final String self;

    PeerCertificateCheck(X509Certificate ca, String self) {
        this.ca = requireNonNull(ca, "ca is null");
        this.self = requireNonNull(self, "self is null");
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        Optional<String> why = judge(session);
        if (why.isPresent()) {
            String text = StreamError.PEER_CERTIFICATE_REFUSED + ": " + self + " refused peer " + remote + ": " + why.get();
            LOG.warn("{} — give the peer a certificate made by this site's 'boomerang certs init'", text);
            call.close(Status.UNAUTHENTICATED.withDescription(text + " — use a certificate made by the same 'boomerang certs init' as "
                    + self + "'s"), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
    }

    private Optional<String> judge(SSLSession session) {
        if (session == null) {
            return Optional.of("the connection is not TLS");
        }
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.of("it presented no certificate");
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return Optional.of("it presented no X.509 certificate");
        }
        return PeerCertificates.refusal(leaf, ca, new Date());
    }
}
