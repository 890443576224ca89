package org.boomerang.provider.lab;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;
import org.boomerang.common.DiskId;
import org.boomerang.provider.AgentPresence;
import org.boomerang.provider.AgentSetup;
import org.boomerang.provider.ConnectionState;
import org.boomerang.provider.Datastore;
import org.boomerang.provider.DatastoreId;
import org.boomerang.provider.DiskAttachment;
import org.boomerang.provider.DiskBacking;
import org.boomerang.provider.DiskSpec;
import org.boomerang.provider.EstateEditor;
import org.boomerang.provider.GuestOs;
import org.boomerang.provider.GuestTools;
import org.boomerang.provider.GuestToolsState;
import org.boomerang.provider.Host;
import org.boomerang.provider.HostId;
import org.boomerang.provider.HypervisorManager;
import org.boomerang.provider.Inventory;
import org.boomerang.provider.Machine;
import org.boomerang.provider.MachineDisk;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.MachineLifecycle;
import org.boomerang.provider.MachinePresence;
import org.boomerang.provider.MachineSpec;
import org.boomerang.provider.ManagerId;
import org.boomerang.provider.NewMachine;
import org.boomerang.provider.PowerControl;
import org.boomerang.provider.PowerState;
import org.boomerang.provider.PresenceDetection;
import org.boomerang.provider.ProviderError;
import org.boomerang.provider.SiteId;
import org.boomerang.provider.SiteProvider;
import org.boomerang.provider.Snapshots;

/**
 * The lab site provider: a site whose estate is a folder ({@link EstateFile}, {@link DiskImages}).
 * Every operation of the SPI is real — creating a machine creates its sparse image files, deleting
 * it deletes them, attaching a detached disk to another machine moves the disk (its file stays
 * where it is, as a vmdk does in vSphere) — and idempotent. Each operation reads the estate, checks,
 * changes and writes it back under the folder's {@link EstateLock}, so concurrent jobs and other
 * processes over the same folder are safe. Image files are created before the estate names them
 * and deleted after it stops naming them: a crash leaves at worst an unnamed file, never a named
 * disk without its file.
 *
 * <p>Attach and detach go through the machine's hypervisor manager when it has one and fail with
 * {@code PROVIDER_MANAGER_DISCONNECTED} while it is disconnected (FB-22). An agent reports in
 * {@code registersAfter} after each boot (FB-21). Thread-safe.
 */
public final class LabSiteProvider implements SiteProvider, PowerControl, MachineLifecycle, DiskAttachment, Snapshots, GuestTools,
        PresenceDetection, EstateEditor {
    private final SiteId site;
    private final Path folder;
    private final Clock clock;
    private final EstateFile file;
    private final EstateLock lock;
    private final DiskImages images;

    private LabSiteProvider(SiteId site, Path folder, Clock clock) {
        this.site = requireNonNull(site, "site is null");
        this.folder = requireNonNull(folder, "folder is null").toAbsolutePath().normalize();
        this.clock = requireNonNull(clock, "clock is null");
        this.file = EstateFile.in(this.folder);
        this.lock = new EstateLock(this.folder);
        this.images = new DiskImages(this.folder);
    }

    /**
     * Opens the estate in {@code folder}. When the folder has no estate yet and {@code seed} is given,
     * the estate is created from the seed file (YAML or JSON, the same shape): the site's id is
     * written into it and every disk's sparse image is created. Without an estate and a seed it
     * starts empty.
     */
    public static LabSiteProvider open(SiteId site, Path folder, Optional<Path> seed, Clock clock) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new BoomerangException(ProviderError.PROVIDER_OPERATION_FAILED, "cannot create the estate folder " + folder + ": " + e.getMessage(),
                    "choose a writable folder for the site's estate", e);
        }
        LabSiteProvider p = new LabSiteProvider(site, folder, clock);
        p.lock.hold(() -> {
            if (!p.file.exists()) {
                EstateDocument doc = seed.map(s -> EstateFile.of(s).read()).orElseGet(() -> EstateDocument.empty(site.value()));
                doc = new EstateDocument(doc.version(), site.value(), doc.resourceGroups(), doc.managers(), doc.hosts(), doc.datastores(),
                        doc.machines(), doc.created());
                for (EstateDocument.Machine m : doc.machines()) {
                    for (EstateDocument.Disk d : m.disks()) {
                        if (d.image() != null) {
                            p.images.create(d.image(), d.sizeBytes());
                        }
                    }
                }
                p.file.write(doc);
            }
            EstateDocument doc = p.file.read();
            if (!doc.site().equals(site.value())) {
                throw new BoomerangException(ProviderError.PROVIDER_INVALID_REQUEST,
                        "the estate in " + folder + " belongs to site " + doc.site() + ", not " + site,
                        "give each site its own estate folder");
            }
            return null;
        });
        return p;
    }

    public Path folder() {
        return folder;
    }

    // SiteProvider

    @Override
    public SiteId site() {
        return site;
    }

    @Override
    public Inventory discover() {
        EstateDocument doc = read();
        Instant now = clock.now();
        return new Inventory(site,
                doc.managers().stream().map(m -> new HypervisorManager(new ManagerId(m.id()), m.address(), m.type(), m.connection(), m.addedAt())).toList(),
                doc.hosts().stream().map(h -> new Host(new HostId(h.id()), h.name(), h.type(), Optional.ofNullable(h.manager()).map(ManagerId::new),
                        h.discovered())).toList(),
                doc.datastores().stream().map(d -> new Datastore(new DatastoreId(d.id()), d.name(), d.type(),
                        d.reachableFrom().stream().map(HostId::new).collect(java.util.stream.Collectors.toSet()))).toList(),
                doc.machines().stream().map(m -> machine(m, now)).toList());
    }

    @Override
    public PowerControl power() {
        return this;
    }

    @Override
    public MachineLifecycle machines() {
        return this;
    }

    @Override
    public DiskAttachment disks() {
        return this;
    }

    @Override
    public Snapshots snapshots() {
        return this;
    }

    @Override
    public GuestTools guestTools() {
        return this;
    }

    @Override
    public PresenceDetection presence() {
        return this;
    }

    @Override
    public Optional<EstateEditor> editor() {
        return Optional.of(this);
    }

    // PowerControl

    @Override
    public void powerOn(MachineId machine) {
        change(doc -> {
            EstateDocument.Machine m = require(doc, machine);
            return m.power() == PowerState.ON ? doc : doc.withMachine(m.withPower(PowerState.ON, clock.now()));
        });
    }

    @Override
    public void powerOff(MachineId machine) {
        change(doc -> doc.machine(machine.value())
                .filter(m -> m.power() == PowerState.ON)
                .map(m -> doc.withMachine(m.withPower(PowerState.OFF, null)))
                .orElse(doc));
    }

    // MachineLifecycle

    @Override
    public Machine create(MachineSpec spec, String requestId) {
        requireNonNull(spec, "spec is null");
        requireNonNull(requestId, "requestId is null");
        return lock.hold(() -> {
            EstateDocument doc = file.read();
            String existing = doc.created().get(requestId);
            if (existing != null && doc.machine(existing).isPresent()) {
                return machine(doc.machine(existing).get(), clock.now());
            }
            EstateDocument.Host host = requireHost(doc, spec.host());
            EstateDocument.Datastore ds = requireDatastore(doc, spec.datastore());
            if (!ds.reachableFrom().contains(host.id())) {
                throw new BoomerangException(ProviderError.PROVIDER_INVALID_REQUEST,
                        "datastore " + ds.id() + " cannot be reached from host " + host.id(),
                        "choose a datastore the host reaches: " + reachableFrom(doc, host.id()));
            }
            String id = freeId(doc, spec.name());
            List<EstateDocument.Disk> disks = newDisks(id, ds.id(), spec.disks());
            EstateDocument.Machine m = new EstateDocument.Machine(id, spec.name(), spec.kind(), spec.os().family(), spec.os().version(),
                    host.id(), doc.defaultResourceGroup(), PowerState.OFF, null, GuestToolsState.RUNNING, List.of(),
                    new EstateDocument.Agent(true, java.time.Duration.ZERO), disks);
            EstateDocument next = doc.withMachine(m).withCreated(requestId, id);
            file.write(next);
            return machine(m, clock.now());
        });
    }

    @Override
    public void delete(MachineId machine) {
        lock.hold(() -> {
            EstateDocument doc = file.read();
            Optional<EstateDocument.Machine> m = doc.machine(machine.value());
            if (m.isEmpty()) {
                return null;
            }
            file.write(doc.withoutMachine(machine.value()));
            for (EstateDocument.Disk d : m.get().disks()) {
                if (d.image() != null) {
                    images.delete(d.image());
                }
            }
            return null;
        });
    }

    // DiskAttachment

    /**
     * Attaches {@code disk} to {@code machine}: its own detached disk is attached again; a disk
     * detached from another machine moves to this one; a disk still attached elsewhere is refused
     * with {@code PROVIDER_DISK_IN_USE}.
     */
    @Override
    public void attach(MachineId machine, DiskId disk) {
        change(doc -> {
            EstateDocument.Machine target = require(doc, machine);
            managerConnected(doc, target);
            Optional<EstateDocument.Disk> own = target.disk(disk.value());
            if (own.isPresent()) {
                return own.get().attached() ? doc : doc.withMachine(target.withDisks(replaceDisk(target.disks(), own.get().withAttached(true))));
            }
            List<EstateDocument.Machine> holders = doc.machines().stream().filter(m -> m.disk(disk.value()).isPresent()).toList();
            Optional<EstateDocument.Machine> from = holders.stream().filter(m -> !m.disk(disk.value()).orElseThrow().attached()).findFirst();
            if (from.isEmpty()) {
                if (!holders.isEmpty()) {
                    throw new BoomerangException(ProviderError.PROVIDER_DISK_IN_USE,
                            "disk " + disk + " is attached to machine " + holders.getFirst().id() + " at " + site,
                            "detach it from " + holders.getFirst().id() + " first");
                }
                throw new BoomerangException(ProviderError.PROVIDER_DISK_NOT_FOUND, "no disk " + disk + " at " + site,
                        "name a disk of the site's inventory ('boomerang inventory show " + site + "')");
            }
            EstateDocument.Machine source = from.get();
            EstateDocument.Disk moved = source.disk(disk.value()).orElseThrow().withAttached(true);
            List<EstateDocument.Disk> rest = source.disks().stream().filter(d -> !d.id().equals(disk.value())).toList();
            List<EstateDocument.Disk> added = new ArrayList<>(target.disks());
            added.add(moved);
            return doc.withMachine(source.withDisks(rest)).withMachine(target.withDisks(added));
        });
    }

    @Override
    public void detach(MachineId machine, DiskId disk) {
        change(doc -> {
            EstateDocument.Machine m = require(doc, machine);
            managerConnected(doc, m);
            Optional<EstateDocument.Disk> d = m.disk(disk.value());
            if (d.isEmpty() || !d.get().attached()) {
                return doc;
            }
            return doc.withMachine(m.withDisks(replaceDisk(m.disks(), d.get().withAttached(false))));
        });
    }

    // Snapshots

    @Override
    public List<String> list(MachineId machine) {
        return read().machine(machine.value()).map(EstateDocument.Machine::snapshots).orElse(List.of());
    }

    @Override
    public void create(MachineId machine, String name) {
        requireNonNull(name, "name is null");
        change(doc -> {
            EstateDocument.Machine m = require(doc, machine);
            if (m.snapshots().contains(name)) {
                return doc;
            }
            List<String> s = new ArrayList<>(m.snapshots());
            s.add(name);
            return doc.withMachine(m.withSnapshots(s));
        });
    }

    @Override
    public void delete(MachineId machine, String name) {
        change(doc -> doc.machine(machine.value())
                .map(m -> doc.withMachine(m.withSnapshots(m.snapshots().stream().filter(s -> !s.equals(name)).toList())))
                .orElse(doc));
    }

    // GuestTools (FB-18)

    @Override
    public void enable(MachineId machine) {
        change(doc -> {
            EstateDocument.Machine m = require(doc, machine);
            return switch (m.tools()) {
                case RUNNING -> doc;
                case DISABLED -> doc.withMachine(m.withTools(GuestToolsState.RUNNING));
                case NOT_INSTALLED -> throw new BoomerangException(ProviderError.PROVIDER_INVALID_REQUEST,
                        "the guest tools of " + machine + " are not installed, so they cannot be enabled", "install them instead (Linux guests)");
            };
        });
    }

    @Override
    public void disable(MachineId machine) {
        change(doc -> {
            EstateDocument.Machine m = require(doc, machine);
            return switch (m.tools()) {
                case DISABLED, NOT_INSTALLED -> doc;
                case RUNNING -> doc.withMachine(m.withTools(GuestToolsState.DISABLED));
            };
        });
    }

    @Override
    public void install(MachineId machine) {
        change(doc -> {
            EstateDocument.Machine m = require(doc, machine);
            return m.tools() == GuestToolsState.RUNNING ? doc : doc.withMachine(m.withTools(GuestToolsState.RUNNING));
        });
    }

    @Override
    public void uninstall(MachineId machine) {
        change(doc -> {
            EstateDocument.Machine m = require(doc, machine);
            return m.tools() == GuestToolsState.NOT_INSTALLED ? doc : doc.withMachine(m.withTools(GuestToolsState.NOT_INSTALLED));
        });
    }

    // PresenceDetection (FB-1)

    @Override
    public MachinePresence presence(MachineId machine, String expectedResourceGroup) {
        return read().machine(machine.value())
                .map(m -> m.resourceGroup().equals(expectedResourceGroup) ? MachinePresence.PRESENT : MachinePresence.MOVED)
                .orElse(MachinePresence.DELETED);
    }

    // EstateEditor

    @Override
    public void putManager(HypervisorManager manager) {
        change(doc -> doc.withManager(new EstateDocument.Manager(manager.id().value(), manager.address(), manager.type(),
                manager.connection(), manager.addedAt())));
    }

    @Override
    public void setConnection(ManagerId manager, ConnectionState state) {
        change(doc -> {
            EstateDocument.Manager m = doc.manager(manager.value()).orElseThrow(() -> new BoomerangException(
                    ProviderError.PROVIDER_MANAGER_NOT_FOUND, "no hypervisor manager " + manager + " at " + site,
                    "name one of: " + doc.managers().stream().map(EstateDocument.Manager::id).toList()));
            return doc.withManager(new EstateDocument.Manager(m.id(), m.address(), m.type(), state, m.addedAt()));
        });
    }

    @Override
    public void putHost(Host host) {
        change(doc -> doc.withHost(new EstateDocument.Host(host.id().value(), host.name(), host.type(),
                host.manager().map(ManagerId::value).orElse(null), host.discovered())));
    }

    @Override
    public void putDatastore(Datastore datastore) {
        change(doc -> doc.withDatastore(new EstateDocument.Datastore(datastore.id().value(), datastore.name(), datastore.type(),
                datastore.reachableFrom().stream().map(HostId::value).sorted().toList())));
    }

    @Override
    public Machine addMachine(NewMachine spec) {
        requireNonNull(spec, "spec is null");
        return lock.hold(() -> {
            EstateDocument doc = file.read();
            Optional<EstateDocument.Machine> existing = doc.machine(spec.id().value());
            if (existing.isPresent()) {
                Machine m = machine(existing.get(), clock.now());
                if (m.name().equals(spec.name()) && m.kind() == spec.kind() && m.os().equals(spec.os()) && m.host().equals(spec.host())) {
                    return m;
                }
                throw new BoomerangException(ProviderError.PROVIDER_INVALID_REQUEST, "machine " + spec.id() + " already exists at " + site + " as another machine",
                        "choose another id, or delete the machine first");
            }
            spec.host().ifPresent(h -> requireHost(doc, h));
            EstateDocument.Datastore ds = requireDatastore(doc, spec.datastore());
            if (spec.host().isPresent() && !ds.reachableFrom().contains(spec.host().get().value())) {
                throw new BoomerangException(ProviderError.PROVIDER_INVALID_REQUEST,
                        "datastore " + ds.id() + " cannot be reached from host " + spec.host().get(),
                        "choose a datastore the host reaches: " + reachableFrom(doc, spec.host().get().value()));
            }
            String id = spec.id().value();
            EstateDocument.Machine m = new EstateDocument.Machine(id, spec.name(), spec.kind(), spec.os().family(), spec.os().version(),
                    spec.host().map(HostId::value).orElse(null), spec.resourceGroup(), spec.power(),
                    spec.power() == PowerState.ON ? clock.now() : null, GuestToolsState.RUNNING, List.of(),
                    new EstateDocument.Agent(spec.agent().installed(), spec.agent().registersAfter()), newDisks(id, ds.id(), spec.disks()));
            file.write(doc.withMachine(m));
            return machine(m, clock.now());
        });
    }

    @Override
    public void moveMachine(MachineId machine, String resourceGroup) {
        requireNonNull(resourceGroup, "resourceGroup is null");
        change(doc -> doc.withMachine(require(doc, machine).withResourceGroup(resourceGroup)));
    }

    @Override
    public void setAgent(MachineId machine, AgentSetup agent) {
        change(doc -> doc.withMachine(require(doc, machine).withAgent(new EstateDocument.Agent(agent.installed(), agent.registersAfter()))));
    }

    // internals

    private EstateDocument read() {
        return lock.hold(file::read);
    }

    private void change(Function<EstateDocument, EstateDocument> edit) {
        lock.hold(() -> {
            EstateDocument doc = file.read();
            EstateDocument next = edit.apply(doc);
            if (!next.equals(doc)) {
                file.write(next);
            }
            return null;
        });
    }

    private List<EstateDocument.Disk> newDisks(String machine, String datastore, List<DiskSpec> specs) {
        List<EstateDocument.Disk> disks = new ArrayList<>();
        for (DiskSpec d : specs) {
            disks.add(switch (d.existing().orElse(null)) {
                case null -> {
                    String image = DiskImages.pathFor(datastore, machine, d.id().value());
                    images.create(image, d.sizeBytes());
                    yield new EstateDocument.Disk(d.id().value(), datastore, d.sizeBytes(), true, image, null);
                }
                case DiskBacking.NbdExport nbd -> new EstateDocument.Disk(d.id().value(), datastore, d.sizeBytes(), true, null, nbd.uri().toString());
                case DiskBacking.ImageFile img -> {
                    Path p = img.path().toAbsolutePath().normalize();
                    if (!p.startsWith(folder)) {
                        throw new BoomerangException(ProviderError.PROVIDER_INVALID_REQUEST, "image " + p + " is not in the estate folder " + folder,
                                "a lab disk's image lives under its estate folder; attach other disks by their NBD export");
                    }
                    yield new EstateDocument.Disk(d.id().value(), datastore, d.sizeBytes(), true, folder.relativize(p).toString(), null);
                }
            });
        }
        return disks;
    }

    private Machine machine(EstateDocument.Machine m, Instant now) {
        Optional<Instant> booted = Optional.ofNullable(m.bootedAt());
        Optional<Instant> reported = m.agent().installed() && m.power() == PowerState.ON
                ? booted.map(b -> b.plus(m.agent().registersAfter())).filter(at -> !at.isAfter(now))
                : Optional.empty();
        List<MachineDisk> disks = m.disks().stream().map(d -> new MachineDisk(new DiskId(d.id()), new DatastoreId(d.datastore()), d.sizeBytes(),
                d.attached(), d.image() != null ? new DiskBacking.ImageFile(images.resolve(d.image()))
                : new DiskBacking.NbdExport(URI.create(d.nbdUri())))).toList();
        return new Machine(new MachineId(m.id()), m.name(), m.kind(), new GuestOs(m.osFamily(), m.osVersion()), disks, m.power(), m.tools(),
                m.snapshots(), Optional.ofNullable(m.host()).map(HostId::new), m.resourceGroup(),
                m.power() == PowerState.ON ? booted : Optional.empty(), new AgentPresence(m.agent().installed(), reported));
    }

    private EstateDocument.Machine require(EstateDocument doc, MachineId id) {
        return doc.machine(id.value()).orElseThrow(() -> new BoomerangException(ProviderError.PROVIDER_MACHINE_NOT_FOUND,
                "no machine " + id + " at " + site, "name a machine of the site's inventory ('boomerang inventory show " + site + "')"));
    }

    private EstateDocument.Host requireHost(EstateDocument doc, HostId id) {
        return doc.host(id.value()).orElseThrow(() -> new BoomerangException(ProviderError.PROVIDER_HOST_NOT_FOUND,
                "no host " + id + " at " + site, "name one of: " + doc.hosts().stream().map(EstateDocument.Host::id).toList()));
    }

    private EstateDocument.Datastore requireDatastore(EstateDocument doc, DatastoreId id) {
        return doc.datastore(id.value()).orElseThrow(() -> new BoomerangException(ProviderError.PROVIDER_DATASTORE_NOT_FOUND,
                "no datastore " + id + " at " + site, "name one of: " + doc.datastores().stream().map(EstateDocument.Datastore::id).toList()));
    }

    private void managerConnected(EstateDocument doc, EstateDocument.Machine m) {
        Optional<EstateDocument.Manager> mgr = Optional.ofNullable(m.host()).flatMap(doc::host)
                .flatMap(h -> Optional.ofNullable(h.manager())).flatMap(doc::manager);
        if (mgr.isPresent() && mgr.get().connection() == ConnectionState.DISCONNECTED) {
            throw new BoomerangException(ProviderError.PROVIDER_MANAGER_DISCONNECTED,
                    "hypervisor manager " + mgr.get().id() + " of machine " + m.id() + " is disconnected, so its disks cannot be attached or detached",
                    "reconnect " + mgr.get().id() + " and retry (FB-22)");
        }
    }

    private static List<String> reachableFrom(EstateDocument doc, String host) {
        return doc.datastores().stream().filter(d -> d.reachableFrom().contains(host)).map(EstateDocument.Datastore::id).toList();
    }

    private static String freeId(EstateDocument doc, String name) {
        String base = name.isBlank() ? "machine" : name;
        if (doc.machine(base).isEmpty()) {
            return base;
        }
        for (int n = 2; ; n++) {
            if (doc.machine(base + "-" + n).isEmpty()) {
                return base + "-" + n;
            }
        }
    }

    private static List<EstateDocument.Disk> replaceDisk(List<EstateDocument.Disk> disks, EstateDocument.Disk d) {
        return disks.stream().map(x -> x.id().equals(d.id()) ? d : x).toList();
    }
}
