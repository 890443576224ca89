package org.boomerang.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.dataplane.PointId;
import org.boomerang.control.dataplane.ViewId;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.ItemJobRequest;
import org.boomerang.control.protection.ItemState;
import org.boomerang.control.protection.Operation;
import org.boomerang.control.protection.ProtectedItem;
import org.boomerang.control.store.ControlStoreContract;
import org.junit.jupiter.api.Test;

/**
 * The stored form of the data plane's ids: plain strings, as they were stored before they were records,
 * so a database written by an earlier server reads as it is.
 */
class DocumentCodecTest {
    private final DocumentCodec codec = new DocumentCodec();

    @Test
    void pairViewAndPointIdsAreStoredAsTheirTextAndReadBack() {
        ProtectedItem item = ControlStoreContract.sampleItem("web");
        String json = codec.write(item);
        assertThat(json).contains("\"pair\":\"web:forward\"").contains("\"view\":\"view-1\"").contains("\"point\":\"p7\"");
        ProtectedItem read = codec.read(json, ProtectedItem.class);
        assertThat(read.pair()).contains(PairId.forward(new ItemId("web")));
        assertThat(read.view()).contains(new ViewId("view-1"));
        assertThat(read.point()).contains(new PointId("p7"));
    }

    @Test
    void aJobRequestKeepsItsPointAsText() {
        ItemJobRequest r = new ItemJobRequest(new ItemId("web"), Operation.PLANNED_FAILOVER, ItemState.PROTECTED, Optional.of(new PointId("p3")),
                Optional.of(Duration.ofSeconds(5)), Optional.empty(), Optional.empty());
        String json = codec.write(r);
        assertThat(json).contains("\"point\":\"p3\"");
        assertThat(codec.read(json, ItemJobRequest.class)).isEqualTo(r);
    }
}
