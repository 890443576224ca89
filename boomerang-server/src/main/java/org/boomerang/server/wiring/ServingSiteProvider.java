package org.boomerang.server.wiring;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.Optional;
import org.boomerang.common.BoomerangException;
import org.boomerang.dataplane.site.EmbeddedDataPlane;
import org.boomerang.dataplane.site.SiteError;
import org.boomerang.provider.DiskAttachment;
import org.boomerang.provider.DiskBacking;
import org.boomerang.provider.EstateEditor;
import org.boomerang.provider.GuestTools;
import org.boomerang.provider.Inventory;
import org.boomerang.provider.Machine;
import org.boomerang.provider.MachineDisk;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.MachineLifecycle;
import org.boomerang.provider.MachineSpec;
import org.boomerang.provider.PowerControl;
import org.boomerang.provider.PowerState;
import org.boomerang.provider.PresenceDetection;
import org.boomerang.provider.SiteId;
import org.boomerang.provider.SiteProvider;
import org.boomerang.provider.Snapshots;

/**
 * A site whose running machines' disks are real disks a guest can write to: while a machine is on,
 * each of its image-backed disks is served over NBD by the site's agent ({@link EmbeddedDataPlane#online}),
 * under {@link EmbeddedDataPlaneSeam#exportOf}; powering it off (or deleting it) stops serving them
 * first, so nothing writes to a machine that is off. The same holds for a disk that is an NBD export of
 * the data plane (a recovered machine's failover view, then its committed disk): served while its
 * machine is on. Discovery reports each served disk's address as {@link MachineDisk#served()} (the
 * inventory's {@code nbdUri}): the address the agent serves it at now, not the one stored with the
 * machine, since the agent listens on a new port after each start of the control server.
 *
 * <p>Everything else is the wrapped provider's. Thread-safe as the wrapped provider and the data plane.
 */
public final class ServingSiteProvider implements SiteProvider, PowerControl, MachineLifecycle {
    private final SiteProvider inner;
    private final EmbeddedDataPlane dataPlane;

    public ServingSiteProvider(SiteProvider inner, EmbeddedDataPlane dataPlane) {
        this.inner = requireNonNull(inner, "inner is null");
        this.dataPlane = requireNonNull(dataPlane, "dataPlane is null");
    }

    /**
     * Serves the disks of every machine that is on now and of no machine that is off (at start: the estate
     * may have running machines, and the data plane has reopened every view, a powered-off machine's too).
     */
    public ServingSiteProvider serveRunning() {
        for (Machine m : inner.discover().machines()) {
            if (m.power() == PowerState.ON) {
                serve(m);
            } else {
                unserve(m);
            }
        }
        return this;
    }

    @Override
    public SiteId site() {
        return inner.site();
    }

    @Override
    public Inventory discover() {
        Inventory inv = inner.discover();
        String site = inv.site().value();
        return new Inventory(inv.site(), inv.managers(), inv.hosts(), inv.datastores(), inv.machines().stream()
                .map(m -> m.withDisks(m.disks().stream()
                        .map(d -> ours(d) ? d.withServed(dataPlane.uri(site, EmbeddedDataPlaneSeam.exportOf(m.id(), d))) : d).toList()))
                .toList());
    }

    @Override
    public PowerControl power() {
        return this;
    }

    @Override
    public void powerOn(MachineId machine) {
        inner.power().powerOn(machine);
        inner.discover().machine(machine).ifPresent(this::serve);
    }

    @Override
    public void powerOff(MachineId machine) {
        inner.discover().machine(machine).ifPresent(this::unserve);
        inner.power().powerOff(machine);
    }

    @Override
    public MachineLifecycle machines() {
        return this;
    }

    @Override
    public Machine create(MachineSpec spec, String requestId) {
        return inner.machines().create(spec, requestId);
    }

    /** Deletes a machine; a disk of it that the data plane made (a committed failover's image) is deleted with it. */
    @Override
    public void delete(MachineId machine) {
        Optional<Machine> m = inner.discover().machine(machine);
        m.ifPresent(this::unserve);
        inner.machines().delete(machine);
        for (MachineDisk d : m.map(Machine::disks).orElse(java.util.List.of())) {
            if (d.backing() instanceof DiskBacking.NbdExport n) {
                try {
                    dataPlane.discard(site().value(), EmbeddedDataPlaneSeam.exportName(n.uri()));
                } catch (IOException e) {
                    throw new BoomerangException(SiteError.IO_FAILED, "machine " + machine + " is deleted but its disk " + d.id()
                            + " could not be: " + e.getMessage(), "delete the machine again, or remove the image by hand", e);
                }
            }
        }
    }

    @Override
    public DiskAttachment disks() {
        return inner.disks();
    }

    @Override
    public Snapshots snapshots() {
        return inner.snapshots();
    }

    @Override
    public GuestTools guestTools() {
        return inner.guestTools();
    }

    @Override
    public PresenceDetection presence() {
        return inner.presence();
    }

    /** The wrapped editor, except that a machine added powered on has its disks served at once. */
    @Override
    public Optional<EstateEditor> editor() {
        return inner.editor().map(e -> new EstateEditor() {
            @Override
            public void putManager(org.boomerang.provider.HypervisorManager manager) {
                e.putManager(manager);
            }

            @Override
            public void setConnection(org.boomerang.provider.ManagerId manager, org.boomerang.provider.ConnectionState state) {
                e.setConnection(manager, state);
            }

            @Override
            public void putHost(org.boomerang.provider.Host host) {
                e.putHost(host);
            }

            @Override
            public void putDatastore(org.boomerang.provider.Datastore datastore) {
                e.putDatastore(datastore);
            }

            @Override
            public Machine addMachine(org.boomerang.provider.NewMachine machine) {
                Machine m = e.addMachine(machine);
                if (m.power() == PowerState.ON) {
                    serve(m);
                }
                return m;
            }

            @Override
            public void moveMachine(MachineId machine, String resourceGroup) {
                e.moveMachine(machine, resourceGroup);
            }

            @Override
            public void setAgent(MachineId machine, org.boomerang.provider.AgentSetup agent) {
                e.setAgent(machine, agent);
            }
        });
    }

    /** A disk this site's data plane serves: an image of the estate, or an export the data plane made (a failover view). */
    private boolean ours(MachineDisk d) {
        return d.backing() instanceof DiskBacking.ImageFile
                || d.backing() instanceof DiskBacking.NbdExport n && dataPlane.knows(site().value(), EmbeddedDataPlaneSeam.exportName(n.uri()));
    }

    private void serve(Machine m) {
        for (MachineDisk d : m.disks()) {
            if (d.backing() instanceof DiskBacking.NbdExport n && dataPlane.knows(site().value(), EmbeddedDataPlaneSeam.exportName(n.uri()))) {
                try {
                    dataPlane.online(site().value(), EmbeddedDataPlaneSeam.exportName(n.uri()), null);
                } catch (IOException e) {
                    throw new BoomerangException(SiteError.IO_FAILED, "cannot serve disk " + d.id() + " of machine " + m.id() + ": " + e.getMessage(),
                            "retry powering the machine on", e);
                }
            } else if (d.backing() instanceof DiskBacking.ImageFile f) {
                try {
                    dataPlane.online(site().value(), EmbeddedDataPlaneSeam.exportOf(m.id(), d), f.path());
                } catch (IOException e) {
                    throw new BoomerangException(SiteError.IO_FAILED, "cannot serve disk " + d.id() + " of machine " + m.id() + ": " + e.getMessage(),
                            "check that its image " + f.path() + " exists and is writable, then power the machine on again", e);
                }
            }
        }
    }

    private void unserve(Machine m) {
        for (MachineDisk d : m.disks()) {
            if (ours(d)) {
                try {
                    dataPlane.offline(site().value(), EmbeddedDataPlaneSeam.exportOf(m.id(), d));
                } catch (IOException e) {
                    throw new BoomerangException(SiteError.IO_FAILED, "cannot stop serving disk " + d.id() + " of machine " + m.id()
                            + ": " + e.getMessage(), "retry; if the disk's writes cannot be flushed, check the data folder's disk", e);
                }
            }
        }
    }
}
