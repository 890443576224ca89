package org.boomerang.provider.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;
import org.boomerang.common.DiskId;
import org.boomerang.provider.AgentSetup;
import org.boomerang.provider.ConnectionState;
import org.boomerang.provider.Datastore;
import org.boomerang.provider.DatastoreId;
import org.boomerang.provider.DatastoreType;
import org.boomerang.provider.DiskBacking;
import org.boomerang.provider.DiskSpec;
import org.boomerang.provider.GuestOs;
import org.boomerang.provider.Host;
import org.boomerang.provider.HostId;
import org.boomerang.provider.HypervisorManager;
import org.boomerang.provider.HypervisorType;
import org.boomerang.provider.Machine;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.MachineKind;
import org.boomerang.provider.MachineSpec;
import org.boomerang.provider.ManagerId;
import org.boomerang.provider.NewMachine;
import org.boomerang.provider.OsFamily;
import org.boomerang.provider.PowerState;
import org.boomerang.provider.ProviderError;
import org.boomerang.provider.SiteId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the lab provider does: real sparse image files, the estate file and its lock, seeding. */
class LabSiteProviderTest {
    private static final SiteId SITE = new SiteId("primary");
    private static final long SIZE = 4L << 20;

    @TempDir
    Path dir;

    private LabSiteProvider estate() {
        LabSiteProvider p = LabSiteProvider.open(SITE, dir.resolve("estate"), Optional.empty(), Clock.SYSTEM);
        p.putManager(new HypervisorManager(new ManagerId("vc1"), "vc1", HypervisorType.VMWARE, ConnectionState.CONNECTED, Clock.SYSTEM.now()));
        p.putHost(new Host(new HostId("esx1"), "esx1", HypervisorType.VMWARE, Optional.of(new ManagerId("vc1")), true));
        p.putDatastore(new Datastore(new DatastoreId("vmfs1"), "vmfs1", DatastoreType.VMFS, Set.of(new HostId("esx1"))));
        p.putDatastore(new Datastore(new DatastoreId("far"), "far", DatastoreType.VMFS, Set.of()));
        return p;
    }

    private static Path image(Machine m) {
        return ((DiskBacking.ImageFile) m.disks().getFirst().backing()).path();
    }

    @Test
    void aMachinesDisksAreSparseImageFilesUnderItsDatastoreThatDeleteRemoves() throws Exception {
        LabSiteProvider p = estate();
        Machine m = p.addMachine(new NewMachine(new MachineId("web1"), "web1", MachineKind.VM, new GuestOs(OsFamily.LINUX, "Debian 12"),
                Optional.of(new HostId("esx1")), new DatastoreId("vmfs1"), List.of(DiskSpec.empty(new DiskId("d0"), SIZE)), PowerState.ON, "rg",
                AgentSetup.AT_ONCE));
        Path img = image(m);
        assertThat(img).isEqualTo(dir.resolve("estate/datastores/vmfs1/web1/d0.img"));
        assertThat(Files.size(img)).isEqualTo(SIZE);
        Process stat = new ProcessBuilder("stat", "-c", "%b", img.toString()).redirectErrorStream(true).start();
        assertThat(new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()).as("sparse: no data blocks").isEqualTo("0");
        p.machines().delete(m.id());
        assertThat(img).doesNotExist();
        assertThat(img.getParent()).doesNotExist();
    }

    @Test
    void createRefusesADatastoreTheHostCannotReach() {
        LabSiteProvider p = estate();
        assertThatThrownBy(() -> p.machines().create(new MachineSpec("x", MachineKind.VM, new GuestOs(OsFamily.LINUX, "Debian 12"),
                new HostId("esx1"), new DatastoreId("far"), List.of(DiskSpec.empty(new DiskId("d0"), SIZE))), "r1"))
                .isInstanceOfSatisfying(BoomerangException.class, e -> {
                    assertThat(e.code()).isEqualTo(ProviderError.PROVIDER_INVALID_REQUEST);
                    assertThat(e.getMessage()).contains("far").contains("esx1");
                });
        assertThat(dir.resolve("estate/datastores/far")).doesNotExist();
    }

    @Test
    void aJsonEstateStaysJson() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("json"));
        Files.writeString(folder.resolve("estate.json"), """
                {"version": 1, "site": "primary", "managers": [{"id": "vc1", "address": "vc1", "type": "VMWARE",
                  "connection": "CONNECTED", "addedAt": "2026-01-01T00:00:00Z"}]}
                """);
        LabSiteProvider p = LabSiteProvider.open(SITE, folder, Optional.empty(), Clock.SYSTEM);
        p.setConnection(new ManagerId("vc1"), ConnectionState.DISCONNECTED);
        assertThat(folder.resolve("estate.yaml")).doesNotExist();
        assertThat(Files.readString(folder.resolve("estate.json"))).contains("\"DISCONNECTED\"");
        assertThat(LabSiteProvider.open(SITE, folder, Optional.empty(), Clock.SYSTEM).discover().managers().getFirst().connection())
                .isEqualTo(ConnectionState.DISCONNECTED);
    }

    @Test
    void aCorruptEstateIsRefusedNamingTheProblemAndLeftAlone() throws Exception {
        estate();
        Path file = dir.resolve("estate/estate.yaml");
        String text = Files.readString(file).replace("reachableFrom:\n  - esx1", "reachableFrom:\n  - esx7");
        Files.writeString(file, text);
        LabSiteProvider again = LabSiteProvider.open(SITE, dir.resolve("estate2"), Optional.empty(), Clock.SYSTEM);
        assertThat(again.discover().machines()).isEmpty();
        assertThatThrownBy(() -> LabSiteProvider.open(SITE, dir.resolve("estate"), Optional.empty(), Clock.SYSTEM))
                .isInstanceOfSatisfying(BoomerangException.class, e -> {
                    assertThat(e.code()).isEqualTo(ProviderError.PROVIDER_ESTATE_CORRUPT);
                    assertThat(e.getMessage()).contains("host=esx7");
                });
        assertThat(Files.readString(file)).isEqualTo(text);
    }

    @Test
    void aSeedBecomesTheEstateWithItsImagesOnFirstOpenOnly() throws Exception {
        Path seed = dir.resolve("seed.json");
        Files.writeString(seed, """
                {"version": 1, "site": "anything",
                 "hosts": [{"id": "hv1", "name": "hv1", "type": "hyper_v", "discovered": true}],
                 "datastores": [{"id": "ds1", "name": "ds1", "type": "rdm", "reachableFrom": ["hv1"]}],
                 "machines": [{"id": "m1", "name": "m1", "kind": "vm", "osFamily": "windows", "osVersion": "Windows Server 2022",
                   "host": "hv1", "resourceGroup": "rg", "power": "on",
                   "agent": {"installed": true, "registersAfter": "PT30S"},
                   "disks": [{"id": "m1-d0", "datastore": "ds1", "sizeBytes": 1048576, "attached": true}]}]}
                """, StandardCharsets.UTF_8);
        LabSiteProvider p = LabSiteProvider.open(SITE, dir.resolve("estate"), Optional.of(seed), Clock.SYSTEM);
        Machine m = p.discover().machine(new MachineId("m1")).orElseThrow();
        assertThat(image(m)).exists().hasFileName("m1-d0.img");
        assertThat(p.discover().site()).isEqualTo(SITE);
        p.power().powerOff(m.id());
        LabSiteProvider reopened = LabSiteProvider.open(SITE, dir.resolve("estate"), Optional.of(seed), Clock.SYSTEM);
        assertThat(reopened.discover().machine(m.id()).orElseThrow().power()).as("the seed does not overwrite an estate").isEqualTo(PowerState.OFF);
        assertThatThrownBy(() -> LabSiteProvider.open(new SiteId("recovery"), dir.resolve("estate"), Optional.empty(), Clock.SYSTEM))
                .isInstanceOfSatisfying(BoomerangException.class, e -> assertThat(e.code()).isEqualTo(ProviderError.PROVIDER_INVALID_REQUEST));
    }

    @Test
    void twoProvidersOverOneFolderNeverLoseAChange() throws Exception {
        estate();
        LabSiteProvider a = LabSiteProvider.open(SITE, dir.resolve("estate"), Optional.empty(), Clock.SYSTEM);
        LabSiteProvider b = LabSiteProvider.open(SITE, dir.resolve("estate"), Optional.empty(), Clock.SYSTEM);
        a.addMachine(new NewMachine(new MachineId("m"), "m", MachineKind.VM, new GuestOs(OsFamily.LINUX, "Debian 12"),
                Optional.of(new HostId("esx1")), new DatastoreId("vmfs1"), List.of(DiskSpec.empty(new DiskId("d0"), SIZE)), PowerState.ON, "rg",
                AgentSetup.AT_ONCE));
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            LabSiteProvider p = i % 2 == 0 ? a : b;
            String name = "snap-" + i;
            tasks.add(() -> {
                p.snapshots().create(new MachineId("m"), name);
                return null;
            });
        }
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        }
        assertThat(a.snapshots().list(new MachineId("m"))).hasSize(40);
        assertThat(dir.resolve("estate/estate.yaml.tmp")).doesNotExist();
    }
}
