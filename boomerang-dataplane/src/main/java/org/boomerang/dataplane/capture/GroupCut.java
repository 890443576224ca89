package org.boomerang.dataplane.capture;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.boomerang.common.MarkerKind;
import org.boomerang.dataplane.capture.CapturedChange.Mark;
import org.boomerang.journal.Marker;

/**
 * One consistent cut across the disks of a replication group (SPEC §2.1 group points): a short write
 * barrier on each member, a {@link MarkerKind#GROUP} marker with one shared point id in each stream, then
 * release. No write on any member lands between the members' markers, so a write that depended on an
 * acknowledged write of another member is in every stream after the cut or in none.
 *
 * <p>A timeout (a member whose writes in flight do not drain, or whose barrier a waiting write broke)
 * aborts the cut, never the writes: the barriers are released and {@link CaptureError#GROUP_CUT_ABORTED}
 * is thrown. If a member refuses its marker after others took theirs (its window opened meanwhile), the
 * point exists on some members only; a group point is valid only where every member holds its id.
 */
public final class GroupCut {
    private GroupCut() {}

    /** Takes the cut; returns the markers, one per member in order. */
    public static List<Mark> take(List<InlineCapture> members, String groupId, String tag, Duration timeout)
            throws IOException, InterruptedException {
        return take(members, new Marker(MarkerKind.GROUP, UUID.randomUUID().toString(), Instant.now(), groupId, tag), timeout);
    }

    /**
     * Takes a cut with {@code marker} in every member's stream (one id for all): also the crash- or
     * application-consistent point of one machine whose disks are the members.
     */
    public static List<Mark> take(List<InlineCapture> members, Marker marker, Duration timeout) throws IOException, InterruptedException {
        String groupId = marker.groupId().isEmpty() ? marker.pointId() : marker.groupId();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<WriteBarrier> held = new ArrayList<>();
        try {
            for (InlineCapture member : members) {
                long left = Math.max(0, deadline - System.nanoTime());
                try {
                    held.add(member.pause(Duration.ofNanos(left)));
                } catch (CaptureException e) {
                    throw abort(groupId, member + ": " + e.getMessage());
                }
            }
            for (int i = 0; i < members.size(); i++) {
                if (members.get(i).status().mode() != CaptureMode.STREAMING) {
                    throw abort(groupId, members.get(i) + " is inside an inconsistent window (" + members.get(i).status().mode() + ")");
                }
            }
            List<Mark> marks = new ArrayList<>();
            for (InlineCapture member : members) {
                Optional<Mark> mark = member.mark(marker);
                if (mark.isEmpty()) {
                    throw abort(groupId, member + " refused the marker (a window opened); point " + marker.pointId()
                            + " exists on " + marks.size() + " of " + members.size() + " members only");
                }
                marks.add(mark.get());
            }
            for (int i = 0; i < held.size(); i++) {
                if (!held.get(i).intact()) {
                    throw abort(groupId, members.get(i) + "'s barrier was broken by a write that waited too long; point "
                            + marker.pointId() + " is not a consistent cut");
                }
            }
            return marks;
        } finally {
            for (WriteBarrier b : held) {
                b.close();
            }
        }
    }

    private static CaptureException abort(String groupId, String why) {
        return new CaptureException(CaptureError.GROUP_CUT_ABORTED, "group " + groupId + ": cut aborted: " + why,
                "writes went on; the next cut will try again (raise the cut timeout if members are busy)");
    }
}
