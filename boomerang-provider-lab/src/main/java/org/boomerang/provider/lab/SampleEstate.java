package org.boomerang.provider.lab;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.boomerang.common.AtomicFile;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.ByteSize;
import org.boomerang.common.Clock;
import org.boomerang.common.FileTrees;
import org.boomerang.provider.ConnectionState;
import org.boomerang.provider.DatastoreType;
import org.boomerang.provider.GuestToolsState;
import org.boomerang.provider.HypervisorType;
import org.boomerang.provider.MachineKind;
import org.boomerang.provider.OsFamily;
import org.boomerang.provider.PowerState;
import org.boomerang.provider.ProviderError;
import org.boomerang.provider.SiteId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sample estate of {@code boomerang demo} and {@code boomerang drill}, made in one folder:
 * {@code primary/} and {@code recovery/} are the estates of two lab sites ({@link LabSiteProvider})
 * and {@code sample-estate.json} ({@link #MANIFEST}) says what was put on the disks.
 *
 * <p>The primary site has a vCenter ({@code vc1}) with two ESXi hosts ({@code esx1}, {@code esx2}),
 * a VMFS, a vSAN and an RDM datastore, and four powered-on machines with their agents: the Linux VMs
 * {@code lin1} (VMFS) and {@code lin2} (vSAN), the Windows VM {@code win1} (RDM) and the physical
 * Linux server {@code phys1}, one sparse disk each of the size asked for. Each Linux disk holds a real
 * ext4 filesystem over its first half ({@link GuestFilesystem}) with a few files of known content;
 * the second half is left for a guest workload that writes raw blocks. Without e2fsprogs the disks
 * are plain and the manifest says why. The recovery site has one cloud host, one datastore and the
 * resource group failovers create machines in.
 *
 * <p>The manifest is written last (temp file, fsync, rename): a folder without it is an
 * interrupted seeding, which {@link #openOrSeed} starts over. Its format (version 1):
 *
 * <pre>
 * {"version": 1, "primarySite": "primary", "recoverySite": "recovery", "diskSizeBytes": 1073741824,
 *  "filesystems": true,                       # false: e2fsprogs was missing, "note" says so
 *  "disks": [{"machine": "lin1", "disk": "lin1-disk0", "image": "primary/datastores/vmfs1/lin1/lin1-disk0.img",
 *             "sizeBytes": 1073741824,
 *             "filesystem": {"type": "ext4", "offsetBytes": 0, "sizeBytes": 536870912,
 *                            "files": {"/etc/hostname": "SHA-256 hex", ...}}}]}   # absent on plain disks
 * </pre>
 *
 * Not thread-safe: one process seeds a folder at a time (the control server's data folder lock).
 */
public final class SampleEstate {
    private static final Logger LOG = LoggerFactory.getLogger(SampleEstate.class);
    /** Version 1: the first format of the manifest. */
    public static final int VERSION = 1;
    public static final String MANIFEST = "sample-estate.json";
    public static final String PRIMARY = "primary";
    public static final String RECOVERY = "recovery";
    public static final long DEFAULT_DISK_SIZE = 1L << 30;
    /** Disk sizes are whole MiB, so that the filesystem half and the workload's 64 KiB blocks fit exactly. */
    public static final long DISK_SIZE_STEP = 1L << 20;
    /** Half of it holds an ext4 filesystem with room for its files. */
    public static final long MIN_DISK_SIZE = 16L << 20;
    private static final int DATA_FILE_BYTES = 256 << 10;
    private static final java.time.Instant VCENTER_ADDED = java.time.Instant.parse("2026-01-01T00:00:00Z");

    /** What a seeding put in the folder. */
    public record Manifest(int version, String primarySite, String recoverySite, long diskSizeBytes, boolean filesystems, String note,
                           List<SampleDisk> disks) {
        public Manifest {
            disks = disks == null ? List.of() : List.copyOf(disks);
        }

        public Optional<SampleDisk> disk(String diskId) {
            return disks.stream().filter(d -> d.disk().equals(diskId)).findFirst();
        }
    }

    /** One disk of a sample machine; {@code filesystem} is null on a plain disk. */
    public record SampleDisk(String machine, String disk, String image, long sizeBytes, Filesystem filesystem) {
        public Optional<Filesystem> fs() {
            return Optional.ofNullable(filesystem);
        }
    }

    /** The filesystem at the start of a disk and the SHA-256 (hex) of each file it holds, by absolute path. */
    public record Filesystem(String type, long offsetBytes, long sizeBytes, Map<String, String> files) {
        public Filesystem {
            files = files == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(files));
        }
    }

    private record Sample(String id, MachineKind kind, OsFamily os, String version, String host, String datastore) {}

    private static final List<Sample> MACHINES = List.of(
            new Sample("lin1", MachineKind.VM, OsFamily.LINUX, "Ubuntu 24.04", "esx1", "vmfs1"),
            new Sample("lin2", MachineKind.VM, OsFamily.LINUX, "Rocky Linux 9.4", "esx2", "vsan1"),
            new Sample("win1", MachineKind.VM, OsFamily.WINDOWS, "Windows Server 2022", "esx1", "rdm1"),
            new Sample("phys1", MachineKind.PHYSICAL, OsFamily.LINUX, "Debian 12", null, "vmfs1"));

    private SampleEstate() {}

    public static Path primaryFolder(Path folder) {
        return folder.resolve(PRIMARY);
    }

    public static Path recoveryFolder(Path folder) {
        return folder.resolve(RECOVERY);
    }

    /** The manifest of a seeded folder; empty when the folder was never seeded or its seeding was interrupted. */
    public static Optional<Manifest> read(Path folder) {
        Path file = folder.resolve(MANIFEST);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Manifest m;
        try {
            m = mapper().readValue(file.toFile(), Manifest.class);
        } catch (JacksonException e) {
            throw new BoomerangException(ProviderError.PROVIDER_ESTATE_CORRUPT, "the sample estate manifest " + file + " is not valid: " + e.getOriginalMessage(),
                    "start the sample estate over (boomerang demo --reset)", e);
        } catch (IOException e) {
            throw new BoomerangException(ProviderError.PROVIDER_OPERATION_FAILED, "cannot read " + file + ": " + e.getMessage(),
                    "check the folder's permissions", e);
        }
        if (m == null || m.version() != VERSION) {
            throw new BoomerangException(ProviderError.PROVIDER_ESTATE_CORRUPT,
                    "the sample estate manifest " + file + " has version=" + (m == null ? "none" : m.version()) + "; this build reads " + VERSION,
                    "start the sample estate over (boomerang demo --reset)");
        }
        return Optional.of(m);
    }

    /** The folder's sample estate as seeded before, or a new one with disks of {@code diskSize} bytes. */
    public static Manifest openOrSeed(Path folder, long diskSize, Clock clock) {
        Optional<Manifest> existing = read(folder);
        if (existing.isPresent()) {
            return existing.get();
        }
        return seed(folder, diskSize, clock);
    }

    /**
     * Seeds the sample estate in {@code folder}, first removing what an interrupted seeding left in
     * its {@code primary/} and {@code recovery/} folders. Refuses a folder that is seeded already.
     */
    public static Manifest seed(Path folder, long diskSize, Clock clock) {
        return seed(folder, diskSize, clock, GuestFilesystem.tool());
    }

    /** As {@link #seed(Path, long, Clock)}, with {@code mkfs.ext4} found or not by the caller (tests). */
    static Manifest seed(Path folder, long diskSize, Clock clock, Optional<Path> mkfs) {
        requireNonNull(folder, "folder is null");
        requireNonNull(clock, "clock is null");
        if (diskSize < MIN_DISK_SIZE || diskSize % DISK_SIZE_STEP != 0) {
            throw new BoomerangException(ProviderError.PROVIDER_INVALID_REQUEST,
                    "a sample disk of " + diskSize + " bytes is not possible: disks are whole MiB of at least " + ByteSize.format(MIN_DISK_SIZE),
                    "give a size such as 64M or 1G");
        }
        if (Files.exists(folder.resolve(MANIFEST))) {
            throw new BoomerangException(ProviderError.PROVIDER_INVALID_REQUEST, "the folder " + folder + " holds a sample estate already",
                    "reuse it, or delete the folder to start over");
        }
        try {
            Files.createDirectories(folder);
            FileTrees.delete(primaryFolder(folder));
            FileTrees.delete(recoveryFolder(folder));
        } catch (IOException e) {
            throw new BoomerangException(ProviderError.PROVIDER_OPERATION_FAILED, "cannot prepare the sample estate folder " + folder + ": " + e.getMessage(),
                    "choose a writable folder", e);
        }
        LabSiteProvider primary = open(folder, PRIMARY, primaryDocument(diskSize, clock), clock);
        open(folder, RECOVERY, recoveryDocument(), clock);
        String note = null;
        if (mkfs.isEmpty()) {
            note = "mkfs.ext4 was not found (install e2fsprogs): the sample disks are plain, without filesystems";
            LOG.warn("{}; the demo and the drill then compare disks by their digests only", note);
        }
        EstateDocument doc = EstateFile.in(primary.folder()).read();
        List<SampleDisk> disks = new ArrayList<>();
        for (Sample s : MACHINES) {
            EstateDocument.Disk d = doc.machine(s.id()).orElseThrow().disks().getFirst();
            Filesystem fs = null;
            if (s.os() == OsFamily.LINUX && mkfs.isPresent()) {
                fs = filesystem(folder, mkfs.get(), primary.folder().resolve(d.image()), s.id(), d.sizeBytes() / 2);
            }
            disks.add(new SampleDisk(s.id(), d.id(), PRIMARY + "/" + d.image(), d.sizeBytes(), fs));
        }
        Manifest manifest = new Manifest(VERSION, PRIMARY, RECOVERY, diskSize, mkfs.isPresent(), note, disks);
        try {
            AtomicFile.write(folder.resolve(MANIFEST), ByteBuffer.wrap(mapper().writeValueAsBytes(manifest)));
        } catch (IOException e) {
            throw new BoomerangException(ProviderError.PROVIDER_OPERATION_FAILED, "cannot write " + folder.resolve(MANIFEST) + ": " + e.getMessage(),
                    "check free space in " + folder + ", then seed again", e);
        }
        LOG.info("seeded the sample estate in {}: {} machines, disks of {}{}", folder, disks.size(), ByteSize.format(diskSize),
                mkfs.isPresent() ? ", ext4 on the Linux disks" : "");
        return manifest;
    }

    /** The content every sample Linux disk gets: name → bytes; the same machine always gets the same bytes. */
    static Map<String, byte[]> files(String machine) {
        Map<String, byte[]> files = new TreeMap<>();
        files.put("/etc/hostname", (machine + "\n").getBytes(StandardCharsets.UTF_8));
        files.put("/etc/boomerang-sample", ("the sample estate of boomerang demo: machine " + machine + "\n").getBytes(StandardCharsets.UTF_8));
        StringBuilder log = new StringBuilder();
        for (int i = 1; i <= 1000; i++) {
            log.append("line ").append(i).append(" of the application log of ").append(machine).append('\n');
        }
        files.put("/var/log/app.log", log.toString().getBytes(StandardCharsets.UTF_8));
        byte[] data = new byte[DATA_FILE_BYTES];
        new SplittableRandom(machine.hashCode()).nextBytes(data);
        files.put("/srv/data/records.bin", data);
        return files;
    }

    private static Filesystem filesystem(Path folder, Path mkfs, Path image, String machine, long fsBytes) {
        Map<String, byte[]> files = files(machine);
        Map<String, String> digests = new TreeMap<>();
        Path content = null;
        try {
            content = Files.createTempDirectory(folder, ".content-");
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path p = content.resolve(f.getKey().substring(1));
                Files.createDirectories(p.getParent());
                Files.write(p, f.getValue());
                digests.put(f.getKey(), sha256(f.getValue()));
            }
            StringBuilder sums = new StringBuilder();
            digests.forEach((name, sum) -> sums.append(sum).append("  ").append(name).append('\n'));
            Files.writeString(content.resolve("SHA256SUMS"), sums.toString());
            GuestFilesystem.make(mkfs, image, fsBytes, content, machine);
        } catch (IOException e) {
            throw new BoomerangException(ProviderError.PROVIDER_OPERATION_FAILED, "cannot prepare the files of " + machine + ": " + e.getMessage(),
                    "check free space in " + folder, e);
        } finally {
            if (content != null) {
                try {
                    FileTrees.delete(content);
                } catch (IOException e) {
                    LOG.warn("cannot delete the temporary folder {}: {}", content, e.getMessage());
                }
            }
        }
        return new Filesystem("ext4", 0, fsBytes, digests);
    }

    private static LabSiteProvider open(Path folder, String site, EstateDocument doc, Clock clock) {
        Path seed = folder.resolve("." + site + "-seed.yaml");
        EstateFile.of(seed).write(doc);
        try {
            return LabSiteProvider.open(new SiteId(site), folder.resolve(site), Optional.of(seed), clock);
        } finally {
            try {
                Files.deleteIfExists(seed);
            } catch (IOException e) {
                LOG.warn("cannot delete the seed file {}: {}", seed, e.getMessage());
            }
        }
    }

    private static EstateDocument primaryDocument(long diskSize, Clock clock) {
        List<EstateDocument.Machine> machines = new ArrayList<>();
        for (Sample s : MACHINES) {
            machines.add(new EstateDocument.Machine(s.id(), s.id(), s.kind(), s.os(), s.version(), s.host(), "rg-primary", PowerState.ON, clock.now(),
                    GuestToolsState.RUNNING, List.of(), new EstateDocument.Agent(true, Duration.ZERO),
                    List.of(new EstateDocument.Disk(s.id() + "-disk0", s.datastore(), diskSize, true,
                            DiskImages.pathFor(s.datastore(), s.id(), s.id() + "-disk0"), null))));
        }
        return new EstateDocument(EstateFile.VERSION, PRIMARY, List.of("rg-primary"),
                List.of(new EstateDocument.Manager("vc1", "vc1.sample.local", HypervisorType.VMWARE, ConnectionState.CONNECTED, VCENTER_ADDED)),
                List.of(new EstateDocument.Host("esx1", "esx1.sample.local", HypervisorType.VMWARE, "vc1", true),
                        new EstateDocument.Host("esx2", "esx2.sample.local", HypervisorType.VMWARE, "vc1", true)),
                List.of(new EstateDocument.Datastore("vmfs1", "vmfs1", DatastoreType.VMFS, List.of("esx1", "esx2")),
                        new EstateDocument.Datastore("vsan1", "vsan1", DatastoreType.VSAN, List.of("esx1", "esx2")),
                        new EstateDocument.Datastore("rdm1", "rdm1", DatastoreType.RDM, List.of("esx1"))),
                machines, Map.of());
    }

    private static EstateDocument recoveryDocument() {
        return new EstateDocument(EstateFile.VERSION, RECOVERY, List.of("rg-recovery"), List.of(),
                List.of(new EstateDocument.Host("cloud-host", "cloud-host", HypervisorType.CLOUD, null, true)),
                List.of(new EstateDocument.Datastore("cloud-store", "cloud-store", DatastoreType.VMFS, List.of("cloud-host"))),
                List.of(), Map.of());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }


    private static ObjectMapper mapper() {
        return JsonMapper.builder()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
    }
}
