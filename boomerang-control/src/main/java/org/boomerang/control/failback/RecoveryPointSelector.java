package org.boomerang.control.failback;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.boomerang.common.MarkerKind;
import org.boomerang.control.dataplane.MachinePoint;
import org.boomerang.control.protection.ItemId;

/**
 * Chooses recovery points (FB-15, FB-16). Latest processed: every machine its own newest point,
 * also inside a replication group. App-consistent: a single machine gets its newest app-consistent
 * point; the members of a replication group get the newest app-consistent group marker that every
 * member holds (same group tag). Each choice reports how far it is behind the newest point.
 * Stateless.
 */
public final class RecoveryPointSelector {
    private RecoveryPointSelector() {}

    /** Chooses for one machine outside any replication group. */
    public static SelectedPoint forItem(ItemId item, List<MachinePoint> points, PointRequest request) {
        MachinePoint latest = newest(item, points);
        MachinePoint chosen = switch (request.choice()) {
            case LATEST, LATEST_PROCESSED -> latest;
            case LATEST_APP_CONSISTENT -> points.stream()
                    .filter(p -> p.consistency() == MarkerKind.APP)
                    .max(ORDER)
                    .orElseThrow(() -> FailbackRule.FB_15_NO_SUCH_RECOVERY_POINT.refuse(
                            "item " + item + " has no app-consistent recovery point",
                            "choose latest-processed (crash-consistent), or wait for the next app-consistent point of its policy"));
            case POINT_ID -> points.stream().filter(p -> p.id().value().equals(request.value())).findFirst()
                    .orElseThrow(() -> FailbackRule.FB_15_NO_SUCH_RECOVERY_POINT.refuse(
                            "item " + item + " has no recovery point " + request.value(),
                            "list its points with 'boomerang points list' and name one of them"));
            case LSN -> {
                long lsn = Long.parseLong(request.value());
                yield points.stream().filter(p -> p.lsn().value() <= lsn).max(ORDER)
                        .orElseThrow(() -> FailbackRule.FB_15_NO_SUCH_RECOVERY_POINT.refuse(
                                "item " + item + " has no recovery point at or before lsn:" + lsn,
                                "name a later LSN or a point id from 'boomerang points list'"));
            }
        };
        return SelectedPoint.of(item, chosen, latest);
    }

    /**
     * Chooses for the members of one replication group. With {@code LATEST_APP_CONSISTENT} they all
     * get the newest common app-consistent point; with anything else each is chosen on its own.
     */
    public static Map<ItemId, SelectedPoint> forGroup(Map<ItemId, List<MachinePoint>> members, PointRequest request) {
        Map<ItemId, SelectedPoint> out = new LinkedHashMap<>();
        if (request.choice() != PointChoice.LATEST_APP_CONSISTENT || members.size() <= 1) {
            members.forEach((item, points) -> out.put(item, forItem(item, points, request)));
            return out;
        }
        members.forEach(RecoveryPointSelector::newest);
        Set<String> common = null;
        for (List<MachinePoint> points : members.values()) {
            Set<String> tags = new HashSet<>();
            points.stream().filter(p -> p.consistency() == MarkerKind.APP).forEach(p -> p.groupTag().ifPresent(tags::add));
            if (common == null) {
                common = tags;
            } else {
                common.retainAll(tags);
            }
        }
        Set<String> shared = common == null ? Set.of() : common;
        // The newest common tag: the one whose newest point is newest in the first member's journal.
        List<MachinePoint> first = members.values().iterator().next();
        Optional<String> tag = first.stream()
                .filter(p -> p.consistency() == MarkerKind.APP && p.groupTag().isPresent() && shared.contains(p.groupTag().get()))
                .max(ORDER)
                .flatMap(MachinePoint::groupTag);
        if (tag.isEmpty()) {
            throw FailbackRule.FB_15_NO_SUCH_RECOVERY_POINT.refuse(
                    "the replication group of items " + members.keySet() + " has no common app-consistent point",
                    "choose latest-processed (each machine its own newest point), or wait for the next group marker");
        }
        members.forEach((item, points) -> {
            MachinePoint p = points.stream()
                    .filter(x -> x.consistency() == MarkerKind.APP && x.groupTag().equals(tag))
                    .max(ORDER)
                    .orElseThrow();
            out.put(item, SelectedPoint.of(item, p, newest(item, points)));
        });
        return out;
    }

    /** FB-16: the newest point of an item, or the refusal when it has none. */
    public static MachinePoint newest(ItemId item, List<MachinePoint> points) {
        return points.stream().max(ORDER).orElseThrow(() -> FailbackRule.FB_16_NO_RECOVERY_POINT.refuse(
                "item " + item + " has no recovery point yet",
                "wait until replication has produced its first point (see 'boomerang points list'), then retry"));
    }

    /** Items among {@code members} that have no point at all (FB-16 for plans). */
    public static List<ItemId> withoutPoints(Map<ItemId, List<MachinePoint>> members) {
        List<ItemId> out = new ArrayList<>();
        members.forEach((item, points) -> {
            if (points.isEmpty()) {
                out.add(item);
            }
        });
        return out;
    }

    private static final Comparator<MachinePoint> ORDER =
            Comparator.comparing(MachinePoint::lsn).thenComparing(MachinePoint::time);
}
