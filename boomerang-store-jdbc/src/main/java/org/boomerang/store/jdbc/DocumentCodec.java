package org.boomerang.store.jdbc;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializerBase;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.dataplane.PointId;
import org.boomerang.control.dataplane.ViewId;
import org.boomerang.control.job.JobError;
import org.boomerang.control.job.JobId;
import org.boomerang.control.job.JobKind;
import org.boomerang.control.job.JobProgress;
import org.boomerang.control.job.JobRequest;
import org.boomerang.control.plan.ManualAction;
import org.boomerang.control.plan.PlanAction;
import org.boomerang.control.plan.PlanJobRequest;
import org.boomerang.control.plan.ScriptAction;
import org.boomerang.control.protection.ItemJobRequest;
import org.boomerang.provider.DiskBacking;

/**
 * Owner of the JSON documents in the {@code doc} columns. A document is the JSON form of a control
 * record (records as objects of their components, ids as {@code {"value": "..."}}, enums by name,
 * instants and durations as ISO-8601 strings, empty optionals as {@code null}); the data plane's ids are
 * plain strings: a pair as its text form {@code <item>:forward} / {@code <item>:reverse} ({@link PairId#parse}),
 * a view and a point as their value; unknown fields are
 * ignored so a newer writer's additions do not break an older reader. Plan actions carry a
 * {@code "type"} of {@code script} or {@code manual}; a disk's backing a {@code "type"} of {@code image} (with {@code path}) or {@code nbd} (with {@code uri}). Job documents are {@link JobDocument}s whose
 * {@code request} is decoded by the job's kind. Thread-safe.
 */
final class DocumentCodec {
    /** The fields of a job that have no column of their own. */
    record JobDocument(JsonNode request, JobProgress progress, Optional<JobError> error, Instant createdAt, Instant updatedAt,
            Optional<JobId> restartOf) {}

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({@JsonSubTypes.Type(value = ScriptAction.class, name = "script"),
            @JsonSubTypes.Type(value = ManualAction.class, name = "manual")})
    private interface PlanActionTypes {}

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({@JsonSubTypes.Type(value = DiskBacking.ImageFile.class, name = "image"),
            @JsonSubTypes.Type(value = DiskBacking.NbdExport.class, name = "nbd")})
    private interface DiskBackingTypes {}

    private final JsonMapper mapper = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
            .addMixIn(PlanAction.class, PlanActionTypes.class)
            .addMixIn(DiskBacking.class, DiskBackingTypes.class)
            .addModule(new SimpleModule("data-plane-ids")
                    .addSerializer(PairId.class, text(PairId.class, PairId::text))
                    .addDeserializer(PairId.class, parser(PairId.class, PairId::parse))
                    .addSerializer(ViewId.class, text(ViewId.class, ViewId::value))
                    .addDeserializer(ViewId.class, parser(ViewId.class, ViewId::new))
                    .addSerializer(PointId.class, text(PointId.class, PointId::value))
                    .addDeserializer(PointId.class, parser(PointId.class, PointId::new)))
            .build();

    /** Writes an id as a JSON string: its text form. */
    private static <T> ToStringSerializerBase text(Class<T> type, Function<T, String> form) {
        return new ToStringSerializerBase(type) {
            @Override
            public String valueToString(Object value) {
                return form.apply(type.cast(value));
            }
        };
    }

    /** Reads an id from a JSON string with its one parser; a text it refuses makes the document corrupt. */
    private static <T> FromStringDeserializer<T> parser(Class<T> type, Function<String, T> parse) {
        return new FromStringDeserializer<>(type) {
            @Override
            protected T _deserialize(String value, com.fasterxml.jackson.databind.DeserializationContext ctxt) {
                return parse.apply(value);
            }
        };
    }

    String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName() + " (a bug)", e);
        }
    }

    <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new BoomerangException(StoreError.DOCUMENT_CORRUPT, "stored " + type.getSimpleName() + " cannot be read: "
                    + e.getOriginalMessage(), "restore the control database from a backup", e);
        }
    }

    JsonNode tree(Object value) {
        return mapper.valueToTree(value);
    }

    JobRequest request(JobKind kind, JsonNode node) {
        Class<? extends JobRequest> type = switch (kind) {
            case ITEM_OPERATION -> ItemJobRequest.class;
            case PLAN_OPERATION -> PlanJobRequest.class;
        };
        try {
            return mapper.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new BoomerangException(StoreError.DOCUMENT_CORRUPT, "stored job request cannot be read: " + e.getOriginalMessage(),
                    "restore the control database from a backup", e);
        }
    }
}
