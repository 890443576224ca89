package org.boomerang.server.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.boomerang.common.Durations;

/**
 * The keys of {@code boomerang server}'s config file, read from the config records themselves
 * ({@link ServerConfig}, its nested records, {@link SiteConfig} for each entry of {@code sites}) the
 * way {@code ConfigReader} reads them: kebab-case names, nested records as {@code parent.child}, list
 * entries as {@code list[].child}. {@code server --help} and {@code server config-keys} print them,
 * so the help cannot drift from what the reader accepts. Stateless.
 */
public final class ServerConfigKeys {
    /** Set by the loader (the config file's folder), never written in a file. */
    private static final Set<String> INTERNAL = Set.of("config-folder");
    /** Defaults computed on each machine: said in words rather than this machine's value. */
    private static final Map<String, String> COMPUTED = Map.of("node", "the host name");

    private ServerConfigKeys() {}

    /** A key and its default as the defaults have it ({@code none} when it has none). */
    public record Key(String name, String defaultValue) {}

    /** Every key a config file may set, in the records' order. */
    public static List<Key> all() {
        List<Key> out = new ArrayList<>();
        walk(ServerConfig.class, ServerConfig.defaults(), "", out);
        return out;
    }

    /** The names alone, comma separated: what {@code server --help} shows. */
    public static String names() {
        return String.join(", ", all().stream().map(Key::name).toList());
    }

    private static void walk(Class<?> record, Object value, String prefix, List<Key> out) {
        for (RecordComponent rc : record.getRecordComponents()) {
            String name = prefix + PropertyNamingStrategies.KebabCaseStrategy.INSTANCE.translate(rc.getName());
            if (INTERNAL.contains(name)) {
                continue;
            }
            Object v = value == null ? null : read(rc, value);
            Class<?> type = rc.getType();
            if (type.isRecord()) {
                walk(type, v, name + ".", out);
            } else if (Collection.class.isAssignableFrom(type) && elementType(rc.getGenericType()) instanceof Class<?> element && element.isRecord()) {
                out.add(new Key(name, v == null ? "none" : v.toString()));
                walk(element, null, name + "[].", out);
            } else {
                out.add(new Key(name, COMPUTED.getOrDefault(name, describe(v))));
            }
        }
    }

    private static Object read(RecordComponent rc, Object value) {
        try {
            return rc.getAccessor().invoke(value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + rc.getName() + " of the default config", e);
        }
    }

    private static Type elementType(Type type) {
        return type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
    }

    private static String describe(Object v) {
        return switch (v) {
            case null -> "none";
            case Optional<?> o -> o.map(ServerConfigKeys::describe).orElse("none");
            case Duration d -> Durations.format(d);
            case Path p -> p.toString();
            default -> v.toString();
        };
    }
}
