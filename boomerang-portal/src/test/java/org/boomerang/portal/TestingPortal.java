package org.boomerang.portal;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.boomerang.api.ApiServer;
import org.boomerang.api.ApiServerConfig;
import org.boomerang.api.ErrorDetails;
import org.boomerang.api.auth.TokenFile;
import org.boomerang.api.auth.TokenStore;
import org.boomerang.api.control.ControlRoutes;
import org.boomerang.api.dto.Role;
import org.boomerang.common.MarkerKind;
import org.boomerang.control.dataplane.MachinePoint;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.testing.InMemoryControlStore;
import org.boomerang.control.testing.TestingEstate;

/**
 * The control server as {@code boomerang server} runs it — REST API and portal on one port — on
 * 127.0.0.1 and an ephemeral port, over the control module's fakes ({@link TestingEstate}: sites
 * primary and recovery, machines web1, db1, app1, phys1, phys2008, policy {@code default}), with
 * one API token per role. Sessions and RPO use the estate's clock. Close it after the test.
 */
public final class TestingPortal implements AutoCloseable {
    public final TestingEstate estate = new TestingEstate(new InMemoryControlStore());
    public final TokenStore tokens;
    public final Map<Role, String> tokenOf = new EnumMap<>(Role.class);
    public final Portal portal;
    public final ApiServer server;

    public TestingPortal(Path dir) {
        tokens = new TokenStore(new TokenFile(dir), estate.clock);
        for (Role role : Role.values()) {
            tokenOf.put(role, tokens.create(role, "test " + role.label()).token().text());
        }
        portal = new Portal(estate.server, tokens, estate.clock, PortalConfig.defaults());
        server = new ApiServer(new ApiServerConfig(ControlRoutes.of(estate.server), tokens, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                List.of(), ErrorDetails.NONE, "test", List.of(portal))).start("127.0.0.1", 0);
    }

    public String base() {
        return "http://127.0.0.1:" + server.port();
    }

    /** A point on the item's forward (primary → recovery) replica at {@code at}. */
    public MachinePoint forwardPoint(String item, MarkerKind c, java.time.Instant at) {
        return estate.dataPlane.addPointAt(PairId.forward(new ItemId(item)), c, Optional.empty(), at);
    }

    @Override
    public void close() {
        server.close();
        estate.close();
    }
}
