package org.boomerang.server.demo;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.boomerang.blockdev.ByteRange;
import org.boomerang.common.Clock;
import org.boomerang.common.FileTrees;
import org.boomerang.dataplane.site.ChildRole;
import org.boomerang.dataplane.site.EmbeddedDataPlane;
import org.boomerang.nbd.client.NbdUri;
import org.boomerang.provider.lab.SampleEstate;
import org.boomerang.server.ServerRuntime;
import org.boomerang.server.config.ServerConfig;
import org.boomerang.server.config.SiteConfig;

/**
 * {@code boomerang drill}: the seed's whole cycle on a fresh sample estate, through the control server's
 * REST API (the code paths an operator uses), verified at every turn, with a report.
 *
 * <p>The control server runs in this process on SQLite with the two lab sites of {@link SampleEstate}
 * and every data-plane role embedded (real NBD, gRPC with mutual TLS, journals). For each sample machine:
 * enable (initial sync) → guest workload through its NBD export → barrier → unplanned failover at
 * latest-processed (the Windows VM at its latest app-consistent point) → the recovered disk equals the
 * source at the barrier (SHA-256) and every ext4 filesystem passes {@code e2fsck -fn} and holds its files
 * → workload at the recovery site → commit → reprotect (original location with a tracked sync for the
 * VMs; alternate location with a full sync for the physical server, FB-9) → workload → failback → the
 * primary disk equals the recovered one → commit (the recovery-site machine is removed, FB-19) →
 * workload → reprotect to the recovery site again (FB-20: a tracked sync onto the disks the recovery site
 * kept) → workload → barrier → test failover: the test copy equals the primary disk at the barrier.
 *
 * <p>With {@link Verify#SAMPLED} the disks are compared over the ranges of {@link DrillSample} (every
 * range ever written, seeded or by the workload, and evenly spaced probes) instead of end to end, and
 * the filesystem check copies only the seeded filesystem's data: for disks of tens of GiB, where
 * reading every disk whole at every turn would take the drill's time. The failover and failback
 * steps also time each item's job alone ({@link DrillReport.JobTime}).
 *
 * <p>With {@code chaos} the master target and the process server of each site run as child processes
 * ({@link ServerRuntime#childRoles()}), and the drill kills two of them with SIGKILL: the primary site's
 * process server halfway through the guest workload at the primary site (every forward stream goes
 * through it), and the primary site's master target while the reprotect jobs toward it run (every
 * reverse stream ends there). Each comes back on its own (the data plane starts it again); the report
 * lists the kills ({@link DrillReport.Kill}), and every check that follows still applies: the recovered
 * disks equal the sources, and the reprotect of the VMs is still a tracked sync.
 *
 * <p>Any mismatch, failed job or failed check fails the drill; {@link #run} still returns the report of
 * what was done, with {@code passed: false}.
 */
public final class Drill {
    /** How the disks are compared after a failover and a failback. */
    public enum Verify {
        /** Every disk's SHA-256 end to end and the whole filesystem region copied for e2fsck. */
        FULL,
        /** The SHA-256 over the ranges of {@link DrillSample} and only the seeded filesystem data copied for e2fsck. */
        SAMPLED
    }

    /** The sample machines and how each is recovered and failed back. */
    private record Machine(String id, String disk, boolean appConsistent, boolean alternate) {}

    private static final List<Machine> MACHINES = List.of(
            new Machine("lin1", "lin1-disk0", false, false),
            new Machine("lin2", "lin2-disk0", false, false),
            new Machine("win1", "win1-disk0", true, false),
            new Machine("phys1", "phys1-disk0", false, true));
    private static final Pattern SYNC_LINE = Pattern.compile("(FULL|DELTA|TRACKED) sync: read (\\d+) B, sent (\\d+) B, (\\d+) blocks changed in (\\d+) ms"
            + "(; (?:fell back|instead of a full copy) because (.*))?");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long the workload writes in each phase. */
    static final Duration WORKLOAD = Duration.ofSeconds(2);

    private final Path data;
    private final long diskSize;
    private final PrintWriter out;
    private final Verify verify;
    private final boolean chaos;
    private ServerRuntime server;
    /** Per machine: the data extents of its seeded image (SAMPLED only) and every range the workload wrote. */
    private final Map<String, List<ByteRange>> seeded = new LinkedHashMap<>();
    private final Map<String, List<ByteRange>> written = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private String base;
    private String token;
    private DrillReport report;
    private SampleEstate.Manifest manifest;

    public Drill(Path data, long diskSize, PrintWriter out) {
        this(data, diskSize, out, Verify.FULL);
    }

    public Drill(Path data, long diskSize, PrintWriter out, Verify verify) {
        this(data, diskSize, out, verify, false);
    }

    /** A drill that, with {@code chaos}, kills role processes along the way (see the class comment). */
    public Drill(Path data, long diskSize, PrintWriter out, Verify verify, boolean chaos) {
        this.data = requireNonNull(data, "data is null").toAbsolutePath().normalize();
        this.diskSize = diskSize;
        this.out = requireNonNull(out, "out is null");
        this.verify = requireNonNull(verify, "verify is null");
        this.chaos = chaos;
    }

    /** Runs the drill on a fresh estate under the data folder (what was there is removed first). */
    public DrillReport run() throws IOException, InterruptedException {
        FileTrees.delete(data);
        Files.createDirectories(data.resolve("tmp"));
        report = new DrillReport(java.net.InetAddress.getLocalHost().getHostName(), Instant.now().toString(), diskSize, List.of());
        Path estate = data.resolve("estate");
        manifest = timed("seed the sample estate", () -> SampleEstate.seed(estate, diskSize, Clock.SYSTEM), null);
        for (Machine m : MACHINES) {
            written.put(m.id(), new ArrayList<>());
            SampleEstate.SampleDisk disk = manifest.disk(m.disk()).orElseThrow(() -> new IOException("the sample estate has no disk " + m.disk()));
            seeded.put(m.id(), verify == Verify.SAMPLED ? DrillSample.seeded(estate.resolve(disk.image())) : List.of());
        }
        ServerConfig config = new ServerConfig(data.resolve("server"), "127.0.0.1", 0, ServerConfig.Database.SQLITE, SampleEstate.PRIMARY,
                "drill", new ServerConfig.Backup(Duration.ZERO, 1),
                List.of(new SiteConfig(SampleEstate.PRIMARY, org.boomerang.control.inventory.SiteRole.PRIMARY, SiteConfig.LAB,
                                Optional.of(SampleEstate.primaryFolder(estate)), Optional.empty()),
                        new SiteConfig(SampleEstate.RECOVERY, org.boomerang.control.inventory.SiteRole.RECOVERY, SiteConfig.LAB,
                                Optional.of(SampleEstate.recoveryFolder(estate)), Optional.empty())),
                true, data);
        try (ServerRuntime server = new ServerRuntime(config, chaos ? ServerRuntime.childRoles()
                : new org.boomerang.dataplane.site.RoleHosting.InProcess()).start()) {
            this.server = server;
            base = "http://127.0.0.1:" + server.port();
            token = Files.readString(config.data().resolve(ServerRuntime.ADMIN_TOKEN_FILE)).strip();
            cycle();
        } catch (IOException | RuntimeException e) {
            report = report.with(new DrillReport.Step("drill stopped", Instant.now().toString(), 0, null, null, null, List.of(),
                    new DrillReport.Verification(List.of(new DrillReport.Check("drill", "error", false, e.toString())))));
        }
        return report;
    }

    private void cycle() throws IOException, InterruptedException {
        call("PUT", "/api/v1/sites/primary/estate/machines/mt1", "{\"kind\":\"VM\",\"osFamily\":\"LINUX\",\"osVersion\":\"Ubuntu 24.04\","
                + "\"host\":\"esx1\",\"datastore\":\"vmfs1\",\"diskSizes\":[16777216]}");
        call("PUT", "/api/v1/master-targets/mt1", "{\"site\":\"primary\",\"host\":\"esx1\"}");
        // a Windows machine fails back through a Windows master target (seed step 1.2)
        call("PUT", "/api/v1/sites/primary/estate/machines/mt2", "{\"kind\":\"VM\",\"osFamily\":\"WINDOWS\",\"osVersion\":\"Windows Server 2022\","
                + "\"host\":\"esx1\",\"datastore\":\"vmfs1\",\"diskSizes\":[16777216]}");
        call("PUT", "/api/v1/master-targets/mt2", "{\"site\":\"primary\",\"host\":\"esx1\"}");
        call("PUT", "/api/v1/policies/drill", "{\"name\":\"drill\",\"rpoThresholdSeconds\":60,\"retentionSeconds\":86400,"
                + "\"crashConsistentEverySeconds\":1,\"appConsistentEverySeconds\":5,\"multiVmSync\":false}");

        Map<String, JobNode> enabled = new LinkedHashMap<>();
        timed("enable protection and initial sync", () -> {
            for (Machine m : MACHINES) {
                enabled.put(m.id(), job("POST", "/api/v1/items", "{\"machine\":\"" + m.id() + "\",\"policy\":\"drill\",\"id\":\"" + m.id()
                        + "\",\"processServer\":\"ps-primary\"}"));
            }
            return null;
        }, stepSyncs(enabled));

        Map<String, String> sourceDigest = new LinkedHashMap<>();
        Map<String, Double> rpo = new LinkedHashMap<>();
        workloadAndBarrier("primary", m -> m.id(), sourceDigest, rpo, "workload at the primary site",
                () -> kill(ChildRole.PROCESS_SERVER, "primary", "workload at the primary site"));

        Map<String, JsonNode> chosen = new LinkedHashMap<>();
        List<DrillReport.JobTime> failoverJobs = new ArrayList<>();
        timedVerified("unplanned failover", rpo, chosen, failoverJobs, () -> {
            List<DrillReport.Check> checks = new ArrayList<>();
            for (Machine m : MACHINES) {
                JsonNode preview = call("GET", "/api/v1/items/" + m.id() + "/points/preview?point="
                        + (m.appConsistent() ? "latest-app-consistent" : "latest-processed"), null);
                chosen.put(m.id(), preview);
                failoverJobs.add(timedJob(m, "POST", "/api/v1/items/" + m.id() + "/failover", "{\"type\":\"UNPLANNED\",\"point\":\""
                        + (m.appConsistent() ? "latest-app-consistent" : "latest-processed") + "\"}"));
                String recovered = call("GET", "/api/v1/items/" + m.id(), null).path("recoveryMachine").asText();
                checks.addAll(verify(m, "recovery", recovered, sourceDigest.get(m.id())));
            }
            return checks;
        });

        Map<String, String> recoveredDigest = new LinkedHashMap<>();
        // Nothing replicates the recovered machines until reprotect (the forward pairs are fenced off at the
        // failover), so there is no recovery point to wait for after this workload.
        workloadAndBarrier("recovery", m -> recoveryMachine(m), recoveredDigest, null, "workload at the recovery site");
        timed("commit the failover", () -> {
            for (Machine m : MACHINES) {
                job("POST", "/api/v1/items/" + m.id() + "/commit", null);
            }
            return null;
        }, null);

        Map<String, JobNode> reprotected = new LinkedHashMap<>();
        timed("reprotect to the primary site", () -> {
            Map<String, String> posted = new LinkedHashMap<>();
            for (Machine m : MACHINES) {
                String mt = m.id().startsWith("win") ? "mt2" : "mt1";
                String body = m.alternate()
                        ? "{\"location\":\"ALTERNATE\",\"processServer\":\"ps-recovery\",\"masterTarget\":\"" + mt + "\",\"datastore\":\"vmfs1\"}"
                        : "{\"location\":\"ORIGINAL\",\"processServer\":\"ps-recovery\",\"masterTarget\":\"" + mt + "\"}";
                posted.put(m.id(), post("POST", "/api/v1/items/" + m.id() + "/reprotect", body));
            }
            Optional<PendingKill> killed = chaos ? Optional.of(killNow(ChildRole.MASTER_TARGET, "primary", "reprotect to the primary site"))
                    : Optional.empty();
            for (Map.Entry<String, String> e : posted.entrySet()) {
                reprotected.put(e.getKey(), awaitJob(e.getValue(), "reprotect " + e.getKey()));
            }
            if (killed.isPresent()) {
                caughtUp(killed.get());
            }
            return null;
        }, stepSyncs(reprotected));

        Map<String, String> beforeFailback = new LinkedHashMap<>();
        Map<String, Double> rpoBack = new LinkedHashMap<>();
        workloadAndBarrier("recovery", m -> recoveryMachine(m), beforeFailback, rpoBack, "workload at the recovery site after reprotect");
        List<DrillReport.JobTime> failbackJobs = new ArrayList<>();
        timedVerified("failback", rpoBack, new LinkedHashMap<>(), failbackJobs, () -> {
            List<DrillReport.Check> checks = new ArrayList<>();
            for (Machine m : MACHINES) {
                failbackJobs.add(timedJob(m, "POST", "/api/v1/items/" + m.id() + "/failover", "{\"type\":\"PLANNED\",\"point\":\"latest-processed\"}"));
                String primaryMachine = call("GET", "/api/v1/items/" + m.id(), null).path("machine").asText();
                checks.addAll(verify(m, "primary", primaryMachine, beforeFailback.get(m.id())));
            }
            return checks;
        });
        timedVerified("commit the failback", null, null, List.of(), () -> {
            List<DrillReport.Check> checks = new ArrayList<>();
            for (Machine m : MACHINES) {
                String recovered = recoveryMachine(m);
                job("POST", "/api/v1/items/" + m.id() + "/commit", null);
                boolean gone = !call("POST", "/api/v1/sites/recovery/discover", null).path("machines").findValuesAsText("id").contains(recovered);
                checks.add(new DrillReport.Check(m.id(), "recovery-machine-removed", gone, recovered + (gone ? " removed (FB-19)" : " still exists")));
            }
            return checks;
        });
        // Writes after the failback: what the reprotect below must bring to the disks the recovery site kept (FB-20).
        workloadAndBarrier("primary", this::primaryMachine, new LinkedHashMap<>(), null, "workload at the primary site after the failback");
        Map<String, JobNode> again = new LinkedHashMap<>();
        timed("reprotect to the recovery site again", () -> {
            for (Machine m : MACHINES) {
                again.put(m.id(), job("POST", "/api/v1/items/" + m.id() + "/reprotect", "{\"processServer\":\"ps-primary\"}"));
            }
            return null;
        }, stepSyncs(again));
        Map<String, String> protectedAgain = new LinkedHashMap<>();
        workloadAndBarrier("primary", this::primaryMachine, protectedAgain, new LinkedHashMap<>(), "workload at the primary site after reprotect again");
        timedVerified("test failover after reprotect again", null, null, List.of(), () -> {
            List<DrillReport.Check> checks = new ArrayList<>();
            for (Machine m : MACHINES) {
                job("POST", "/api/v1/items/" + m.id() + "/test-failover", "{\"point\":\"latest-processed\"}");
                String test = testMachine(m);
                checks.addAll(verify(m, "recovery", test, protectedAgain.get(m.id())));
                job("POST", "/api/v1/items/" + m.id() + "/cleanup", null);
            }
            return checks;
        });
    }

    /**
     * Runs the guest workload on every machine's disk at {@code site}, then a barrier; records each disk's
     * digest and the RPO seen (with {@code rpo} null, the disks do not replicate: no point is waited for).
     */
    private void workloadAndBarrier(String site, java.util.function.Function<Machine, String> machineAt, Map<String, String> digests,
            Map<String, Double> rpo, String step) throws IOException, InterruptedException {
        workloadAndBarrier(site, machineAt, digests, rpo, step, () -> null);
    }

    /** The same, with {@code midway} run halfway through the workload (while it writes). */
    private void workloadAndBarrier(String site, java.util.function.Function<Machine, String> machineAt, Map<String, String> digests,
            Map<String, Double> rpo, String step, Action<?> midway) throws IOException, InterruptedException {
        timed(step, () -> {
            List<GuestWorkload> loads = new ArrayList<>();
            Map<String, NbdUri> uris = new LinkedHashMap<>();
            try {
                for (Machine m : MACHINES) {
                    NbdUri uri = NbdUri.parse(nbdUri(site, machineAt.apply(m)));
                    uris.put(m.id(), uri);
                    loads.add(GuestWorkload.start(uri, diskSize, new GuestWorkload.Settings(50, m.id().hashCode())));
                }
                Thread.sleep(WORKLOAD.toMillis() / 2);
                midway.run();
                Thread.sleep(WORKLOAD.toMillis() / 2);
                for (int i = 0; i < loads.size(); i++) {
                    GuestWorkload.Acknowledged a = loads.get(i).pause();
                    if (a.error().isPresent()) {
                        throw new IOException("the guest workload failed: " + a.error().get());
                    }
                    for (GuestWorkload.Write w : a.writes()) {
                        written.get(MACHINES.get(i).id()).add(new ByteRange(w.offset(), w.length()));
                    }
                }
            } finally {
                for (GuestWorkload w : loads) {
                    w.close();
                }
            }
            Instant barrier = Instant.now();
            for (Machine m : MACHINES) {
                if (rpo != null) { // null: the disks do not replicate now, there is no point to wait for
                    Instant seen = awaitPointAfter(m.id(), barrier, m.appConsistent() && site.equals("primary"));
                    rpo.put(m.id(), Duration.between(barrier, seen).toMillis() / 1000.0);
                }
                digests.put(m.id(), digest(m, uris.get(m.id())));
            }
            return null;
        }, null);
    }

    private List<DrillReport.Check> verify(Machine m, String site, String machine, String expected) throws IOException, InterruptedException {
        List<DrillReport.Check> checks = new ArrayList<>();
        NbdUri uri = NbdUri.parse(nbdUri(site, machine));
        String digest = digest(m, uri);
        checks.add(new DrillReport.Check(m.disk(), "digest", digest.equals(expected), (verify == Verify.SAMPLED
                ? "sampled (" + DrillSample.bytes(sampleRanges(m)) + " B in " + sampleRanges(m).size() + " ranges) " : "")
                + "sha256 " + digest.substring(0, 16) + (digest.equals(expected) ? " equals" : " differs from") + " the source's " + expected.substring(0, 16)));
        Optional<SampleEstate.Filesystem> fs = manifest.disk(m.disk()).flatMap(SampleEstate.SampleDisk::fs);
        if (fs.isPresent()) {
            FilesystemCheck.Result r = verify == Verify.SAMPLED
                    ? DrillSample.filesystem(uri, fs.get(), seeded.get(m.id()), data.resolve("tmp"))
                    : FilesystemCheck.overNbd(uri, fs.get(), data.resolve("tmp"));
            checks.add(new DrillReport.Check(m.disk(), "e2fsck", r.passed(), r.passed() ? "e2fsck -fn clean, " + r.found().size()
                    + " files intact" : String.join("; ", r.problems())));
        }
        return checks;
    }

    /** The disk's digest as {@link #verify} says: end to end, or over the sample's ranges. */
    private String digest(Machine m, NbdUri uri) throws IOException {
        return verify == Verify.SAMPLED ? DrillSample.sha256(uri, sampleRanges(m)) : DiskDigest.sha256(uri, n -> {});
    }

    private List<ByteRange> sampleRanges(Machine m) {
        return DrillSample.ranges(diskSize, seeded.get(m.id()), written.get(m.id()));
    }

    // ---- steps and the report

    private interface Action<T> {
        T run() throws IOException, InterruptedException;
    }

    private <T> T timed(String name, Action<T> action, java.util.function.Supplier<List<DrillReport.Sync>> syncs) throws IOException, InterruptedException {
        out.println("drill: " + name + " …");
        out.flush();
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        T result = action.run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        report = report.with(new DrillReport.Step(name, start.toString(), seconds, null, null, null,
                syncs == null ? List.of() : syncs.get(), null));
        out.printf("drill: %s done in %.1f s%n", name, seconds);
        out.flush();
        return result;
    }

    private void timedVerified(String name, Map<String, Double> rpo, Map<String, JsonNode> chosen, List<DrillReport.JobTime> jobs,
            Action<List<DrillReport.Check>> action)
            throws IOException, InterruptedException {
        out.println("drill: " + name + " …");
        out.flush();
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        List<DrillReport.Check> checks = action.run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Double worstRpo = rpo == null || rpo.isEmpty() ? null : rpo.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        String points = chosen == null || chosen.isEmpty() ? null : chosen.entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue().path("pointId").asText(e.getValue().path("point").path("id").asText()))
                .reduce((a, b) -> a + ", " + b).orElse(null);
        String kinds = chosen == null || chosen.isEmpty() ? null : chosen.values().stream()
                .map(p -> p.path("consistency").asText(p.path("point").path("consistency").asText())).distinct()
                .reduce((a, b) -> a + ", " + b).orElse(null);
        DrillReport.Verification v = new DrillReport.Verification(checks);
        report = report.with(new DrillReport.Step(name, start.toString(), seconds, worstRpo, points, kinds, List.of(), jobs, v));
        out.printf("drill: %s done in %.1f s — verification %s%n", name, seconds, v.passed() ? "passed" : "FAILED");
        for (DrillReport.Check c : checks) {
            if (!c.passed()) {
                out.println("  " + c.subject() + " " + c.kind() + ": " + c.detail());
            }
        }
        out.flush();
    }

    /** Runs one item's job and times it alone: as seen from here and as the control server recorded it. */
    private DrillReport.JobTime timedJob(Machine m, String method, String path, String body) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        JobNode done = job(method, path, body);
        double seconds = (System.nanoTime() - t0) / 1e9;
        JsonNode j = done.details().path("job");
        double server = Duration.between(instant(j.path("createdAt")), instant(j.path("updatedAt"))).toNanos() / 1e9;
        return new DrillReport.JobTime(m.id(), j.path("id").asText(), seconds, server);
    }

    /** An instant as the API writes it: ISO-8601 text or epoch seconds. */
    private static Instant instant(JsonNode n) throws IOException {
        if (n.isTextual()) {
            return Instant.parse(n.asText());
        }
        if (n.isNumber()) {
            java.math.BigDecimal s = n.decimalValue();
            return Instant.ofEpochSecond(s.longValue(), s.remainder(java.math.BigDecimal.ONE).movePointRight(9).longValue());
        }
        throw new IOException("the job has no time where one was expected: " + n);
    }

    /** A finished job and its log. */
    private record JobNode(JsonNode details) {}

    /** The sync figures of the jobs of a step, from each job's log line of its sync. */
    private java.util.function.Supplier<List<DrillReport.Sync>> stepSyncs(Map<String, JobNode> jobs) {
        return () -> {
            List<DrillReport.Sync> syncs = new ArrayList<>();
            jobs.forEach((item, job) -> {
                for (JsonNode line : job.details().path("log")) {
                    Matcher mm = SYNC_LINE.matcher(line.path("message").asText());
                    if (mm.find()) {
                        String mode = mm.group(1).toLowerCase(java.util.Locale.ROOT);
                        long read = Long.parseLong(mm.group(2));
                        long sent = Long.parseLong(mm.group(3));
                        long blocks = Long.parseLong(mm.group(4));
                        Long changed = mode.equals("full") ? null : blocks * 4096;
                        String disk = MACHINES.stream().filter(x -> x.id().equals(item)).findFirst().map(Machine::disk).orElse(item);
                        syncs.add(new DrillReport.Sync(item, disk, mode, mm.group(7) == null ? null : mm.group(7), diskSize, read, 0, sent,
                                changed, Long.parseLong(mm.group(5)) / 1000.0));
                    }
                }
            });
            return syncs;
        };
    }

    // ---- chaos

    /** A kill whose role listens again; its catch-up is still to be measured. */
    private record PendingKill(ChildRole role, String site, String step, long pid, Instant killedAt, long restartedPid, Instant restartedAt) {}

    /** Kills a role now and measures its catch-up at once (the step goes on meanwhile); no-op without chaos. */
    private Void kill(ChildRole role, String site, String step) throws IOException, InterruptedException {
        if (chaos) {
            caughtUp(killNow(role, site, step));
        }
        return null;
    }

    /**
     * Kills the child process of {@code role} at {@code site} with SIGKILL and waits until the data plane
     * has started it again and it listens.
     */
    private PendingKill killNow(ChildRole role, String site, String step) throws IOException, InterruptedException {
        EmbeddedDataPlane.RoleStatus before = server.dataPlane().childRoles().stream()
                .filter(r -> r.role() == role && r.site().equals(site) && r.running()).findFirst()
                .orElseThrow(() -> new IOException("no running " + role.command() + " process at site " + site + " to kill"));
        ProcessHandle victim = ProcessHandle.of(before.pid())
                .orElseThrow(() -> new IOException("process " + before.pid() + " (" + role.command() + ") is gone already"));
        Instant killedAt = Instant.now();
        if (!victim.destroyForcibly()) { // SIGKILL on Linux and macOS
            throw new IOException("process " + before.pid() + " (" + role.command() + ") could not be killed");
        }
        out.printf("drill: chaos: killed the %s of site %s (process %d, SIGKILL)%n", role.command(), site, before.pid());
        out.flush();
        Instant restartedAt = server.dataPlane().awaitRestarted(site, role, before.pid(), Duration.ofSeconds(120));
        long now = server.dataPlane().childRoles().stream().filter(r -> r.role() == role && r.site().equals(site)).findFirst()
                .map(EmbeddedDataPlane.RoleStatus::pid).orElse(-1L);
        out.printf("drill: chaos: the %s of site %s listens again as process %d after %.2f s%n", role.command(), site, now,
                Duration.between(killedAt, restartedAt).toNanos() / 1e9);
        out.flush();
        return new PendingKill(role, site, step, before.pid(), killedAt, now, restartedAt);
    }

    /** Waits until every item has a recovery point newer than the restart, then records the kill. */
    private void caughtUp(PendingKill k) throws IOException, InterruptedException {
        for (Machine m : MACHINES) {
            awaitPointAfter(m.id(), k.restartedAt(), false);
        }
        Instant done = Instant.now();
        report = report.with(new DrillReport.Kill(k.role().command(), k.site(), k.step(), k.pid(), k.killedAt().toString(), k.restartedPid(),
                Duration.between(k.killedAt(), k.restartedAt()).toNanos() / 1e9, Duration.between(k.killedAt(), done).toNanos() / 1e9));
    }

    // ---- the API

    /** The machine a test failover of {@code m} brought up at the recovery site (named after the item, {@code <item>-test}). */
    private String testMachine(Machine m) throws IOException, InterruptedException {
        for (JsonNode mm : call("GET", "/api/v1/sites/recovery/inventory", null).path("machines")) {
            if (mm.path("id").asText().startsWith(m.id() + "-test")) {
                return mm.path("id").asText();
            }
        }
        throw new IOException("the test failover of " + m.id() + " brought up no machine at the recovery site");
    }

    private String primaryMachine(Machine m) {
        try {
            return call("GET", "/api/v1/items/" + m.id(), null).path("machine").asText();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private String recoveryMachine(Machine m) {
        try {
            return call("GET", "/api/v1/items/" + m.id(), null).path("recoveryMachine").asText();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private String nbdUri(String site, String machine) throws IOException, InterruptedException {
        JsonNode inv = call("GET", "/api/v1/sites/" + site + "/inventory", null);
        for (JsonNode mm : inv.path("machines")) {
            if (mm.path("id").asText().equals(machine)) {
                JsonNode uri = mm.path("disks").path(0).path("nbdUri");
                if (uri.isTextual()) {
                    return uri.asText();
                }
                throw new IOException("machine " + machine + " at " + site + " has no served disk (is it powered on?)");
            }
        }
        throw new IOException("no machine " + machine + " at " + site);
    }

    private Instant awaitPointAfter(String item, Instant t, boolean app) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode points = call("GET", "/api/v1/items/" + item + "/points", null);
            for (int i = points.size() - 1; i >= 0; i--) {
                JsonNode p = points.get(i);
                Instant at = Instant.parse(p.path("time").asText());
                if (at.isAfter(t) && (!app || p.path("consistency").asText().equalsIgnoreCase("APP"))) {
                    return at;
                }
            }
            Thread.sleep(100);
        }
        throw new IOException("item " + item + " got no " + (app ? "app-consistent " : "") + "point after " + t + " within 120 s");
    }

    private JobNode job(String method, String path, String body) throws IOException, InterruptedException {
        return awaitJob(post(method, path, body), method + " " + path);
    }

    /** Asks for a job; returns its id. */
    private String post(String method, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = send(method, path, body);
        if (r.statusCode() != 202) {
            throw new IOException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body()).path("id").asText();
    }

    /** Waits for job {@code id} to end; it must succeed. */
    private JobNode awaitJob(String id, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode details = call("GET", "/api/v1/jobs/" + id, null);
            JsonNode job = details.path("job");
            if (job.path("terminal").asBoolean()) {
                if (!job.path("state").asText().equalsIgnoreCase("SUCCEEDED")) {
                    throw new IOException("job " + id + " (" + what + ") ended " + job.path("state").asText() + ": "
                            + job.path("error"));
                }
                return new JobNode(details);
            }
            Thread.sleep(50);
        }
        throw new IOException("job " + id + " (" + what + ") did not end within 30 minutes");
    }

    private JsonNode call(String method, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = send(method, path, body);
        if (r.statusCode() / 100 != 2) {
            throw new IOException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

}
