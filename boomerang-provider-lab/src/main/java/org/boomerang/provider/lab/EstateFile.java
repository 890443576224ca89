package org.boomerang.provider.lab;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.boomerang.common.AtomicFile;
import org.boomerang.common.BoomerangException;
import org.boomerang.provider.ProviderError;

/**
 * The owner of a lab estate's file: {@code estate.yaml} (or {@code estate.json}) in the estate
 * folder, in the shape of {@link EstateDocument}. The format follows the file's name; a folder
 * holding both is refused.
 *
 * <p>Writes go through {@link AtomicFile} ({@code estate.yaml.tmp}, fsync, atomic rename, folder
 * fsync), so a crash leaves the old estate or the new one, never half of one. Reads check the version and every reference (a host's manager, a datastore's
 * hosts, a machine's host and disks' datastores, unique ids) and refuse a broken file with
 * {@code PROVIDER_ESTATE_CORRUPT} naming what is wrong; nothing is changed then.
 *
 * <p>Not thread-safe: {@link LabSiteProvider} calls it under the estate's lock.
 */
final class EstateFile {
    /** Version 1: the first format. */
    static final int VERSION = 1;
    static final String YAML_NAME = "estate.yaml";
    static final String JSON_NAME = "estate.json";

    private final Path file;
    private final ObjectMapper mapper;

    private EstateFile(Path file, ObjectMapper mapper) {
        this.file = file;
        this.mapper = mapper;
    }

    /** The estate file of {@code folder}: the one that exists, else a new {@code estate.yaml}. */
    static EstateFile in(Path folder) {
        Path yaml = folder.resolve(YAML_NAME);
        Path json = folder.resolve(JSON_NAME);
        if (Files.exists(yaml) && Files.exists(json)) {
            throw new BoomerangException(ProviderError.PROVIDER_ESTATE_CORRUPT,
                    "the estate folder " + folder + " holds both " + YAML_NAME + " and " + JSON_NAME,
                    "keep one of them (the other is a stale copy)");
        }
        return of(Files.exists(json) ? json : yaml);
    }

    /** The file at {@code path}; YAML unless its name ends in {@code .json}. */
    static EstateFile of(Path path) {
        return new EstateFile(path, path.getFileName().toString().endsWith(".json") ? json() : yaml());
    }

    Path path() {
        return file;
    }

    boolean exists() {
        return Files.exists(file);
    }

    EstateDocument read() {
        EstateDocument doc;
        try {
            doc = mapper.readValue(file.toFile(), EstateDocument.class);
        } catch (JacksonException e) {
            throw new BoomerangException(ProviderError.PROVIDER_ESTATE_CORRUPT,
                    "the estate file " + file + " is not a valid estate: " + e.getOriginalMessage(),
                    "fix the file at line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ", or restore it", e);
        } catch (IOException e) {
            throw new BoomerangException(ProviderError.PROVIDER_OPERATION_FAILED, "cannot read the estate file " + file + ": " + e.getMessage(),
                    "check that the estate folder exists and is readable", e);
        }
        if (doc == null) {
            throw new BoomerangException(ProviderError.PROVIDER_ESTATE_CORRUPT, "the estate file " + file + " is empty", "restore it or seed it again");
        }
        doc = withImagePaths(doc);
        validate(doc);
        return doc;
    }

    /** A disk written with neither {@code image} nor {@code nbdUri} (a seed) gets the image path it would be created at. */
    private static EstateDocument withImagePaths(EstateDocument doc) {
        EstateDocument out = doc;
        for (EstateDocument.Machine m : doc.machines()) {
            if (m.disks().stream().anyMatch(d -> d.image() == null && d.nbdUri() == null)) {
                out = out.withMachine(m.withDisks(m.disks().stream().map(d -> d.image() == null && d.nbdUri() == null
                        ? new EstateDocument.Disk(d.id(), d.datastore(), d.sizeBytes(), d.attached(),
                                DiskImages.pathFor(d.datastore(), m.id(), d.id()), null)
                        : d).toList()));
            }
        }
        return out;
    }

    void write(EstateDocument doc) {
        validate(doc);
        try {
            AtomicFile.write(file, java.nio.ByteBuffer.wrap(mapper.writeValueAsBytes(doc)));
        } catch (IOException e) {
            throw new BoomerangException(ProviderError.PROVIDER_OPERATION_FAILED, "cannot write the estate file " + file + ": " + e.getMessage(),
                    "check free space and permissions of the estate folder; the previous estate is unchanged", e);
        }
    }

    static void forceFolder(Path folder) throws IOException {
        AtomicFile.fsyncDirectory(folder);
    }

    /** Checks the version and every reference; throws {@code PROVIDER_ESTATE_CORRUPT} naming the first problem. */
    void validate(EstateDocument doc) {
        if (doc.version() != VERSION) {
            corrupt("version=" + doc.version() + " is not supported", "this build reads version " + VERSION);
        }
        Set<String> ids = new HashSet<>();
        for (EstateDocument.Manager m : doc.managers()) {
            unique(ids, "manager", m.id());
            if (m.type() == null || m.connection() == null || m.addedAt() == null || m.address() == null) {
                corrupt("manager=" + m.id() + " lacks one of address, type, connection, addedAt", "give every manager all four");
            }
        }
        ids.clear();
        for (EstateDocument.Host h : doc.hosts()) {
            unique(ids, "host", h.id());
            if (h.type() == null || h.name() == null) {
                corrupt("host=" + h.id() + " lacks a name or type", "give every host a name and a type (VMWARE, HYPER_V, CLOUD)");
            }
            if (h.manager() != null && doc.manager(h.manager()).isEmpty()) {
                corrupt("host=" + h.id() + " names manager=" + h.manager() + ", which is not in the estate", "add the manager or drop the reference");
            }
        }
        ids.clear();
        for (EstateDocument.Datastore d : doc.datastores()) {
            unique(ids, "datastore", d.id());
            if (d.type() == null || d.name() == null) {
                corrupt("datastore=" + d.id() + " lacks a name or type", "give every datastore a name and a type (VMFS, VSAN, RDM, NFS)");
            }
            for (String h : d.reachableFrom()) {
                if (doc.host(h).isEmpty()) {
                    corrupt("datastore=" + d.id() + " is reachable from host=" + h + ", which is not in the estate", "add the host or drop it");
                }
            }
        }
        ids.clear();
        Set<String> images = new HashSet<>();
        for (EstateDocument.Machine m : doc.machines()) {
            unique(ids, "machine", m.id());
            if (m.kind() == null || m.osFamily() == null || m.osVersion() == null || m.name() == null || m.resourceGroup() == null) {
                corrupt("machine=" + m.id() + " lacks one of name, kind, osFamily, osVersion, resourceGroup", "give every machine all five");
            }
            if (m.host() != null && doc.host(m.host()).isEmpty()) {
                corrupt("machine=" + m.id() + " runs on host=" + m.host() + ", which is not in the estate", "add the host or fix the reference");
            }
            Set<String> diskIds = new HashSet<>();
            for (EstateDocument.Disk d : m.disks()) {
                if (d.id() == null || !diskIds.add(d.id())) {
                    corrupt("machine=" + m.id() + " has a disk without an id or two disks with id=" + d.id(), "give each disk its own id");
                }
                if (doc.datastore(d.datastore()).isEmpty()) {
                    corrupt("machine=" + m.id() + " disk=" + d.id() + " is on datastore=" + d.datastore() + ", which is not in the estate",
                            "add the datastore or fix the reference");
                }
                if (d.sizeBytes() <= 0) {
                    corrupt("machine=" + m.id() + " disk=" + d.id() + " has sizeBytes=" + d.sizeBytes(), "give the disk a positive size");
                }
                if ((d.image() == null) == (d.nbdUri() == null)) {
                    corrupt("machine=" + m.id() + " disk=" + d.id() + " must have exactly one of image and nbdUri",
                            "an image file holds a lab disk; an NBD URI a disk exported elsewhere (a failover view)");
                }
                if (d.image() != null && !images.add(d.image())) {
                    corrupt("image=" + d.image() + " belongs to two disks", "give each disk its own image file");
                }
            }
        }
    }

    private static void unique(Set<String> seen, String what, String id) {
        if (id == null || id.isBlank()) {
            corrupt("a " + what + " has no id", "give every " + what + " an id");
        }
        if (!seen.add(id)) {
            corrupt("two " + what + "s have id=" + id, "give each " + what + " its own id");
        }
    }

    private static void corrupt(String what, String hint) {
        throw new BoomerangException(ProviderError.PROVIDER_ESTATE_CORRUPT, "the estate is not consistent: " + what, hint);
    }

    private static ObjectMapper yaml() {
        return configure(YAMLMapper.builder(new YAMLFactory()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)).build());
    }

    private static ObjectMapper json() {
        return configure(JsonMapper.builder().build()).enable(SerializationFeature.INDENT_OUTPUT);
    }

    private static ObjectMapper configure(ObjectMapper m) {
        m.registerModule(new JavaTimeModule());
        m.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        m.disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
        m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, true);
        m.setSerializationInclusion(JsonInclude.Include.NON_NULL);
        return m;
    }
}
