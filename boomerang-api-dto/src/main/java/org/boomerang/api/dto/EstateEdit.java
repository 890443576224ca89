package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * The request bodies of the estate routes ({@code /api/v1/sites/{site}/estate/...}): changes made by
 * hand to a site whose provider owns its estate (the lab). Each route answers with the site's
 * inventory as discovered right after the change. Optional fields are left out, never null.
 */
public final class EstateEdit {
    private EstateEdit() {}

    public enum HypervisorType { VMWARE, HYPER_V, CLOUD }

    public enum Connection { CONNECTED, DISCONNECTED }

    public enum DatastoreType { VMFS, VSAN, RDM, NFS }

    public enum MachineKind { VM, PHYSICAL }

    public enum OsFamily { WINDOWS, LINUX }

    public enum Power { ON, OFF }

    /** {@code PUT .../estate/managers/{manager}}: a hypervisor manager; {@code addedAt} defaults to now. */
    public record Manager(@JsonProperty(required = true) String address, @JsonProperty(required = true) HypervisorType type,
                          Connection connection, Instant addedAt) {}

    /** {@code PUT .../estate/managers/{manager}/connection}: connect or disconnect it (FB-22). */
    public record ManagerConnection(@JsonProperty(required = true) Connection connection) {}

    /** {@code PUT .../estate/hosts/{host}}: a host; no {@code manager} makes it standalone (FB-5, FB-11). */
    public record Host(String name, @JsonProperty(required = true) HypervisorType type, String manager, Boolean discovered) {}

    /** {@code PUT .../estate/datastores/{datastore}}: a datastore with the hosts that reach it. */
    public record Datastore(String name, @JsonProperty(required = true) DatastoreType type,
                            @JsonProperty(required = true) List<String> reachableFrom) {}

    /**
     * {@code PUT .../estate/machines/{machine}}: a machine running at the site, with one new sparse
     * disk per entry of {@code diskSizes} (bytes) on {@code datastore}; no {@code host} for a
     * physical server. Defaults: powered on, resource group {@code rg-<site>}, agent reporting at once.
     */
    public record Machine(@JsonProperty(required = true) MachineKind kind, @JsonProperty(required = true) OsFamily osFamily,
                          @JsonProperty(required = true) String osVersion, String host, @JsonProperty(required = true) String datastore,
                          @JsonProperty(required = true) List<Long> diskSizes, Power power, String resourceGroup, Agent agent) {}

    /** {@code PUT .../estate/machines/{machine}/resource-group}: move it to another resource group (FB-1). */
    public record ResourceGroup(@JsonProperty(required = true) String resourceGroup) {}

    /**
     * {@code PUT .../estate/machines/{machine}/agent}: whether its agent is installed and how many
     * seconds after each boot it reports in (FB-21).
     */
    public record Agent(@JsonProperty(required = true) boolean installed, Long registersAfterSeconds) {}
}
