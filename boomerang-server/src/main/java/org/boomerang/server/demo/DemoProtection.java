package org.boomerang.server.demo;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.boomerang.api.dto.EnableRequest;
import org.boomerang.api.dto.GroupView;
import org.boomerang.api.dto.JobDetails;
import org.boomerang.api.dto.InventoryView;
import org.boomerang.api.dto.ItemView;
import org.boomerang.api.dto.JobStateView;
import org.boomerang.api.dto.JobView;
import org.boomerang.api.dto.PolicyView;
import org.boomerang.api.dto.PowerView;
import org.boomerang.cli.ApiClient;
import org.boomerang.common.BoomerangException;
import org.boomerang.nbd.client.NbdUri;
import org.boomerang.provider.lab.SampleEstate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the demo does in the background once the server runs, through the REST API as an operator
 * would: puts the policy {@link #POLICY} (a crash-consistent point every second, an
 * app-consistent one every minute) and the replication group {@link #GROUP} of the Linux VMs,
 * enables protection of every sample machine (again, on a later run, for items that allow it),
 * follows the enable jobs, then starts a {@link GuestWorkload} on every disk the primary site's
 * inventory gives an {@code nbdUri} (a powered-on machine's disk exported by its agent).
 *
 * <p>It never stops the demo: when enabling a machine fails or a disk has no NBD export, it prints
 * one clear line and the server goes on serving the inventory, the API and the portal.
 *
 * <p>Runs on one daemon thread; {@link #close()} stops it and the workloads.
 */
public final class DemoProtection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoProtection.class);
    public static final String POLICY = "demo";
    public static final String GROUP = "demo-linux";
    /** The Linux master target machine the demo adds to the primary site and registers (Linux machines fail back through it). */
    public static final String MASTER_TARGET = "mt1";
    /** The Windows master target the demo adds beside it: a Windows machine fails back through a Windows one (seed step 1.2). */
    public static final String WINDOWS_MASTER_TARGET = "mt2";
    private static final long POLL_MILLIS = 250;

    /** How protection of one machine ended up. */
    public enum Outcome {
        /** The enable job succeeded: the machine replicates. */
        PROTECTED,
        /** The item was there already in a state that does not allow enabling (e.g. protected, failed over). */
        ALREADY_PROTECTED,
        /** Anything else: the line printed says what. */
        FAILED
    }

    private final ApiClient api;
    private final SampleEstate.Manifest estate;
    private final double writesPerSecond;
    private final PrintWriter out;
    private final Thread thread;
    private final CountDownLatch done = new CountDownLatch(1);
    private final Map<String, Outcome> outcomes = new LinkedHashMap<>();
    private final List<GuestWorkload> workloads = new ArrayList<>();
    private volatile boolean closed;

    private DemoProtection(URI server, String token, SampleEstate.Manifest estate, double writesPerSecond, PrintWriter out) {
        this.api = new ApiClient(requireNonNull(server, "server is null"), requireNonNull(token, "token is null"));
        this.estate = requireNonNull(estate, "estate is null");
        this.writesPerSecond = writesPerSecond;
        this.out = requireNonNull(out, "out is null");
        this.thread = Thread.ofPlatform().name("demo-protection").daemon().unstarted(this::run);
    }

    static DemoProtection start(URI server, String token, SampleEstate.Manifest estate, double writesPerSecond, PrintWriter out) {
        DemoProtection p = new DemoProtection(server, token, estate, writesPerSecond, out);
        p.thread.start();
        return p;
    }

    /** Waits until protection was tried for every machine and the workloads that could start did; false on timeout. */
    public boolean await(long timeoutMillis) throws InterruptedException {
        return done.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Each sample machine's outcome, once {@link #await} returned true. */
    public synchronized Map<String, Outcome> outcomes() {
        return Map.copyOf(outcomes);
    }

    /** The running workloads' disks. */
    public synchronized List<GuestWorkload> workloads() {
        return List.copyOf(workloads);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (GuestWorkload w : workloads()) {
            try {
                w.close();
            } catch (IOException e) {
                LOG.warn("the guest workload did not close cleanly: {}", e.toString());
            }
        }
    }

    private void run() {
        try {
            protect();
            if (!closed) {
                startWorkloads();
            }
        } catch (BoomerangException e) {
            if (!closed) {
                say("Protection could not be set up: " + e.describe());
            }
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.warn("the demo's protection stopped", e);
                say("Protection could not be set up: " + e);
            }
        } finally {
            done.countDown();
        }
    }

    private void protect() {
        api.put("api/v1/policies/" + POLICY, new PolicyView.Request("demo: a crash point per second, an app-consistent point per minute",
                300L, 3600L, 1L, 60L, true), PolicyView.class);
        api.put("api/v1/groups/" + GROUP, new GroupView.Request("the sample Linux VMs"), GroupView.class);
        // The master targets a reprotect toward the primary site needs (FB-11): a Linux and a Windows VM on esx1 (seed step 1.2:
        // each machine fails back through one of its OS family), registered once.
        masterTarget(MASTER_TARGET, org.boomerang.api.dto.EstateEdit.OsFamily.LINUX, "Ubuntu 24.04");
        masterTarget(WINDOWS_MASTER_TARGET, org.boomerang.api.dto.EstateEdit.OsFamily.WINDOWS, "Windows Server 2022");
        Map<String, ItemView> items = new LinkedHashMap<>();
        for (ItemView i : api.get("api/v1/items", new TypeReference<List<ItemView>>() {})) {
            items.put(i.machine(), i);
        }
        Map<String, String> jobs = new LinkedHashMap<>();
        for (SampleEstate.SampleDisk d : estate.disks()) {
            String machine = d.machine();
            if (jobs.containsKey(machine) || outcomes().containsKey(machine)) {
                continue;
            }
            ItemView existing = items.get(machine);
            if (existing == null) {
                String group = machine.startsWith("lin") ? GROUP : null;
                jobs.put(machine, api.post("api/v1/items", new EnableRequest(machine, POLICY, machine, group, estate.primarySite(),
                        estate.recoverySite(), null), JobView.class).id());
            } else if (existing.allowedActions().contains("enable")) {
                jobs.put(machine, api.post("api/v1/items/" + encode(existing.id()) + "/enable", null, JobView.class).id());
            } else {
                record(machine, Outcome.ALREADY_PROTECTED);
                say(machine + ": protected already (" + existing.state() + ")");
            }
        }
        for (Map.Entry<String, String> j : jobs.entrySet()) {
            JobView job = follow(j.getValue());
            if (job == null) {
                return;
            }
            String machine = j.getKey();
            if (job.state() == JobStateView.SUCCEEDED) {
                record(machine, Outcome.PROTECTED);
                say(machine + ": protected (job " + job.id() + ")");
            } else {
                record(machine, Outcome.FAILED);
                say(machine + ": enabling protection ended " + job.state()
                        + (job.error() == null ? "" : ": " + job.error().code() + ": " + job.error().message()) + " (see 'bin/boomerang jobs show " + job.id() + "')");
            }
        }
    }

    /** Polls a job until it ends; null when the demo is closing. */
    private JobView follow(String id) {
        while (!closed) {
            JobView job = api.get("api/v1/jobs/" + encode(id), JobDetails.class).job();
            if (job.terminal()) {
                return job;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return null;
            }
        }
        return null;
    }

    private void masterTarget(String machine, org.boomerang.api.dto.EstateEdit.OsFamily os, String version) {
        if (api.get("api/v1/master-targets", new TypeReference<List<org.boomerang.api.dto.MasterTargetView>>() {}).stream()
                .noneMatch(m -> m.machine().equals(machine))) {
            api.put("api/v1/sites/" + estate.primarySite() + "/estate/machines/" + machine, new org.boomerang.api.dto.EstateEdit.Machine(
                    org.boomerang.api.dto.EstateEdit.MachineKind.VM, os, version, "esx1", "vmfs1", List.of(16L << 20), null, null, null),
                    Object.class);
            api.put("api/v1/master-targets/" + machine, new org.boomerang.api.dto.MasterTargetView.Request(estate.primarySite(), "esx1"),
                    Object.class);
        }
    }

    private void startWorkloads() {
        InventoryView inv = api.get("api/v1/sites/" + encode(estate.primarySite()) + "/inventory", InventoryView.class);
        List<String> withoutExport = new ArrayList<>();
        for (InventoryView.Machine m : inv.machines()) {
            if (m.power() != PowerView.ON || m.id().equals(MASTER_TARGET) || m.id().equals(WINDOWS_MASTER_TARGET)) {
                continue; // the master targets are infrastructure, not guests
            }
            for (InventoryView.Disk d : m.disks()) {
                if (d.nbdUri() == null) {
                    withoutExport.add(d.id());
                    continue;
                }
                try {
                    GuestWorkload w = GuestWorkload.start(NbdUri.parse(d.nbdUri()), d.sizeBytes(),
                            new GuestWorkload.Settings(writesPerSecond, d.id().hashCode()));
                    synchronized (this) {
                        workloads.add(w);
                    }
                    say("Guest workload on " + m.id() + "/" + d.id() + " through " + d.nbdUri() + ": " + writesPerSecond
                            + " writes/s of 4-64 KiB into the disk's second half");
                } catch (IOException | RuntimeException e) {
                    say("No guest workload on " + m.id() + "/" + d.id() + ": " + e.getMessage());
                }
            }
        }
        if (!withoutExport.isEmpty()) {
            say("No guest workload on " + String.join(", ", withoutExport) + ": the inventory gives them no nbdUri yet (the data plane exports a "
                    + "powered-on machine's disks once it is wired)");
        }
    }

    private static String encode(String segment) {
        return java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private synchronized void record(String machine, Outcome outcome) {
        outcomes.put(machine, outcome);
    }

    private void say(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
