package org.boomerang.portal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.boomerang.control.dataplane.MachinePoint;

/**
 * RPO over time from an item's recovery points: at any instant the RPO is the age of the newest
 * point that existed then. It grows until a new point arrives and drops to zero when one does, so
 * the series is a saw tooth with a corner just before and at each point's time, ending at
 * {@code now} while the item replicates. Times and values are in seconds. Stateless.
 */
record RpoHistory(List<Double> times, List<Double> rpo) {
    /** Just before a point: the tooth's top, a millisecond before it drops. */
    private static final double BEFORE = 0.001;

    static RpoHistory of(List<MachinePoint> points, Instant now, boolean replicating) {
        List<MachinePoint> sorted = points.stream().sorted(Comparator.comparing(MachinePoint::time)).toList();
        List<Double> t = new ArrayList<>();
        List<Double> v = new ArrayList<>();
        Instant previous = null;
        for (MachinePoint p : sorted) {
            double at = seconds(p.time());
            if (previous != null) {
                double top = at - seconds(previous);
                if (top > BEFORE) {
                    t.add(at - BEFORE);
                    v.add(top);
                }
            }
            if (t.isEmpty() || t.getLast() < at) {
                t.add(at);
                v.add(0.0);
            }
            previous = p.time();
        }
        if (previous != null && replicating && now.isAfter(previous)) {
            t.add(seconds(now));
            v.add(seconds(now) - seconds(previous));
        }
        return new RpoHistory(List.copyOf(t), List.copyOf(v));
    }

    private static double seconds(Instant i) {
        return i.getEpochSecond() + i.getNano() / 1e9;
    }
}
