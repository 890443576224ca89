package org.boomerang.store.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.ProtectRequest;
import org.boomerang.control.testing.TestingEstate;

/**
 * A control server in its own JVM, for {@link ControlServerKillTest}: on the SQLite file
 * {@code args[0]}, it protects web1 and hangs in the initial sync after writing {@code args[2]}
 * (the data plane records its effects in {@code args[1]}), waiting to be killed.
 */
public final class ControlServerChild {
    private ControlServerChild() {}

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        Path effects = Path.of(args[1]);
        Path marker = Path.of(args[2]);
        JdbcControlStore store = JdbcControlStore.open(DatabaseConfig.sqlite(db));
        TestingEstate estate = new TestingEstate(store, "node-a", dp -> {
            dp.recordEffectsTo(effects);
            dp.holdSyncs(new CountDownLatch(1));
            dp.onSync(() -> {
                try {
                    Files.writeString(marker, "in sync\n");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        });
        estate.server.protection().protect(new ProtectRequest(new ItemId("web"), TestingEstate.WEB1, TestingEstate.PRIMARY,
                TestingEstate.RECOVERY, TestingEstate.POLICY, Optional.empty(), Optional.of("ps-primary")));
        Thread.sleep(Long.MAX_VALUE);
    }
}
