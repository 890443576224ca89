package org.boomerang.provider;


/**
 * Changes an estate by hand: what an operator of a lab site does to set up the situations the
 * failback rules read (a disconnected vCenter, a host not yet discovered, a recovered machine
 * moved to another resource group, an agent that registers late, a Windows Server 2008 R2 SP1
 * physical server, disks on vSAN or RDM). Only providers whose estate is theirs to edit offer it
 * ({@link SiteProvider#editor()}); a real vSphere site is changed in vSphere.
 *
 * <p>Every method is idempotent: putting an object that is already there as given succeeds.
 * Failures are {@code BoomerangException}s with a {@link ProviderError} code.
 */
public interface EstateEditor {
    /** Adds or replaces a hypervisor manager (its connection and the time it was added as given). */
    void putManager(HypervisorManager manager);

    /** Connects or disconnects a hypervisor manager (FB-22). */
    void setConnection(ManagerId manager, ConnectionState state);

    /** Adds or replaces a host (standalone when it names no manager; discovered or not, FB-5, FB-11). */
    void putHost(Host host);

    /** Adds or replaces a datastore with its type and the hosts that reach it (FB-5, FB-6, FB-8). */
    void putDatastore(Datastore datastore);

    /** Adds a machine with new disks; adding one that exists with the same id is refused unless it is the same. */
    Machine addMachine(NewMachine machine);

    /** Moves a machine to another resource group (FB-1). */
    void moveMachine(MachineId machine, String resourceGroup);

    /** Installs or removes a machine's agent and sets how long after each boot it reports in (FB-21). */
    void setAgent(MachineId machine, AgentSetup agent);
}
