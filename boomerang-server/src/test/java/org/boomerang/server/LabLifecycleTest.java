package org.boomerang.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole cycle through the REST API of {@code boomerang server --config examples/lab/server.yaml}
 * (port 0, a temporary data folder), against the lab provider and the embedded data plane, with a real
 * NBD client as the guest: enable → initial sync → writes → unplanned failover at latest-processed → the
 * recovered disk equals the source (SHA-256) → writes at the recovery site → commit → reprotect (tracked
 * sync: only the changed blocks cross) → writes → failback → the original disk equals the recovered one →
 * commit (the recovery-site machine is gone, FB-19) → reprotect again (FB-20).
 */
class LabLifecycleTest {
    @TempDir
    Path data;

    private LabClient lab;

    @BeforeEach
    void start() throws Exception {
        lab = LabClient.start(data).withMasterTargetAndPolicy("fast", 60);
    }

    @AfterEach
    void stop() {
        lab.close();
    }

    @Test
    void aVmGoesThroughTheWholeCycleWithRealBytes() throws Exception {
        assertThat(lab.nbdUri("primary", "web1")).as("a powered-on lab machine's disk is served").startsWith("nbd://127.0.0.1:");
        lab.runJob("POST", "/api/v1/items", "{\"machine\":\"web1\",\"policy\":\"fast\",\"id\":\"web\",\"processServer\":\"ps-primary\"}");
        assertThat(lab.item("web").path("state").asText()).isEqualTo("protected");

        URI source = URI.create(lab.nbdUri("primary", "web1"));
        LabClient.write(source, 1 << 20, LabClient.random(256 << 10, 1));
        LabClient.write(source, 9 << 20, LabClient.random(4096, 2));
        Instant written = Instant.now();
        String sourceDigest = LabClient.sha256(source);
        lab.awaitPointAfter("web", written);

        lab.runJob("POST", "/api/v1/items/web/failover", "{\"type\":\"UNPLANNED\",\"point\":\"latest-processed\"}");
        String recovered = lab.item("web").path("recoveryMachine").asText();
        URI recoveredDisk = URI.create(lab.nbdUri("recovery", recovered));
        assertThat(LabClient.sha256(recoveredDisk)).as("the recovered disk equals the source at the point").isEqualTo(sourceDigest);
        assertThat(lab.nbdUri("primary", "web1")).as("the primary machine is off: nothing serves its disk").isNull();

        LabClient.write(recoveredDisk, 20 << 20, LabClient.random(8192, 3));
        lab.runJob("POST", "/api/v1/items/web/commit", null);
        LabClient.write(recoveredDisk, 30 << 20, LabClient.random(4096, 4));
        String afterRecoveryWrites = LabClient.sha256(recoveredDisk);

        JsonNode reprotect = lab.runJob("POST", "/api/v1/items/web/reprotect",
                "{\"location\":\"ORIGINAL\",\"processServer\":\"ps-recovery\",\"masterTarget\":\"mt1\"}");
        String log = reprotect.toString();
        assertThat(log).as("tracked sync: the 3 changed 4 KiB blocks, nothing else").contains("TRACKED sync").contains("sent 12288 B")
                .contains("3 blocks changed");
        assertThat(lab.item("web").path("state").asText()).isEqualTo("reverse-protected");

        LabClient.write(recoveredDisk, 40 << 20, LabClient.random(4096, 5));
        Instant late = Instant.now();
        String beforeFailback = LabClient.sha256(recoveredDisk);
        assertThat(beforeFailback).isNotEqualTo(afterRecoveryWrites);
        lab.awaitPointAfter("web", late);
        JsonNode failback = lab.runJob("POST", "/api/v1/items/web/failover", "{\"type\":\"PLANNED\",\"point\":\"latest-processed\"}");
        assertThat(failback.toString()).as("FB-17: the recovery-site machine was seen off and unserved before the view opened")
                .contains("recovery-site machine " + recovered + " is off and none of its disks is served any more");
        URI back = URI.create(lab.nbdUri("primary", "web1"));
        assertThat(LabClient.sha256(back)).as("after failback the original machine's disk equals the recovered one").isEqualTo(beforeFailback);
        assertThat(lab.nbdUri("recovery", recovered)).as("the recovery-site machine is off: its disk has no address").isNull();

        lab.runJob("POST", "/api/v1/items/web/commit", null);
        assertThat(lab.machineIds("recovery")).as("FB-19: the recovery-site machine is removed").doesNotContain(recovered);
        try (var left = java.nio.file.Files.walk(data.resolve("dataplane/sites/recovery"))) {
            assertThat(left.filter(p -> p.toString().endsWith(".img")).map(p -> data.resolve("dataplane/sites/recovery").relativize(p).toString())
                    .toList()).as("its committed disk is kept only as the base of the next reprotect (FB-20)")
                    .singleElement().asString().startsWith("retained/");
        }
        assertThat(LabClient.sha256(back)).isEqualTo(beforeFailback);

        LabClient.write(back, 44 << 20, LabClient.random(8192, 6));
        JsonNode again = lab.runJob("POST", "/api/v1/items/web/reprotect", "{\"processServer\":\"ps-primary\"}");
        assertThat(again.toString()).as("FB-20: the 2 blocks written since the failback, not a full copy").contains("TRACKED sync")
                .contains("sent 8192 B").contains("2 blocks changed").contains("instead of a full copy because");
        assertThat(lab.item("web").path("state").asText()).isEqualTo("protected");
    }
}
