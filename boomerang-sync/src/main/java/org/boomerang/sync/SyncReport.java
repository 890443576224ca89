package org.boomerang.sync;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.boomerang.blockdev.ByteRange;
import org.boomerang.common.ByteSize;
import org.boomerang.common.SyncMode;

/**
 * What one sync did (SPEC §2.4: "every sync reports bytes read, bytes sent, blocks changed and
 * time"). Printed as text or as JSON ({@code --output json}); the JSON field names are a stable interface.
 *
 * @param sourceBytesRead  bytes read from the source disk (digesting and sending)
 * @param targetBytesRead  bytes read from the target disk (digesting)
 * @param bytesSent        data bytes written to the target, before compression
 * @param bytesSentCompressed the same bytes after zstd: what a compressing transport would send
 * @param digestBytes      digest bytes a remote exchange would send (delta and verify)
 * @param blocksChanged    blocks written with data
 * @param blocksZeroed     blocks made zero on the target without sending data (write-zeroes / hole punch)
 * @param differingRanges  verify only: the ranges whose blocks differ
 * @param notes            plain statements about how the sync ran (e.g. bytes read over the wire)
 */
public record SyncReport(
        SyncMode mode, String source, String target, long size, int blockSize, long blocksTotal,
        long sourceBytesRead, long targetBytesRead, long bytesSent, long bytesSentCompressed, long digestBytes,
        long blocksChanged, long blocksZeroed, Duration elapsed, List<ByteRange> differingRanges, List<String> notes) {

    public SyncReport {
        requireNonNull(mode, "mode is null");
        requireNonNull(source, "source is null");
        requireNonNull(target, "target is null");
        requireNonNull(elapsed, "elapsed is null");
        differingRanges = List.copyOf(differingRanges);
        notes = List.copyOf(notes);
    }

    /** Verify's verdict; always true for the modes that write. */
    public boolean identical() {
        return differingRanges.isEmpty();
    }

    public long differingBytes() {
        return differingRanges.stream().mapToLong(ByteRange::length).sum();
    }

    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append("sync ").append(mode.cliName()).append(": ").append(source).append(" -> ").append(target).append('\n');
        line(s, "size", ByteSize.format(size) + " (" + blocksTotal + " blocks of " + ByteSize.format(blockSize) + ")");
        line(s, "read source", ByteSize.format(sourceBytesRead) + " (" + sourceBytesRead + " bytes)");
        line(s, "read target", ByteSize.format(targetBytesRead) + " (" + targetBytesRead + " bytes)");
        line(s, "sent", ByteSize.format(bytesSent) + " before compression, " + ByteSize.format(bytesSentCompressed)
                + " after (zstd)");
        if (mode == SyncMode.DELTA || mode == SyncMode.VERIFY) {
            line(s, "digests", ByteSize.format(digestBytes) + " would cross the wire between remote digesters");
        }
        line(s, "blocks changed", blocksChanged + " written, " + blocksZeroed + " zeroed, of " + blocksTotal);
        line(s, "time", String.format(Locale.ROOT, "%.3f s", elapsed.toNanos() / 1e9));
        if (mode == SyncMode.VERIFY) {
            line(s, "verdict", identical() ? "identical"
                    : differingRanges.size() + " differing ranges, " + ByteSize.format(differingBytes()));
            for (ByteRange r : differingRanges) {
                s.append("    differs  offset=").append(r.offset()).append(" length=").append(r.length()).append('\n');
            }
        }
        for (String note : notes) {
            s.append("  note: ").append(note).append('\n');
        }
        return s.toString();
    }

    public String toJson() {
        StringBuilder s = new StringBuilder("{");
        field(s, "mode", quote(mode.cliName())).append(',');
        field(s, "source", quote(source)).append(',');
        field(s, "target", quote(target)).append(',');
        field(s, "sizeBytes", size).append(',');
        field(s, "blockSize", blockSize).append(',');
        field(s, "blocksTotal", blocksTotal).append(',');
        field(s, "sourceBytesRead", sourceBytesRead).append(',');
        field(s, "targetBytesRead", targetBytesRead).append(',');
        field(s, "bytesSent", bytesSent).append(',');
        field(s, "bytesSentCompressed", bytesSentCompressed).append(',');
        field(s, "digestBytes", digestBytes).append(',');
        field(s, "blocksChanged", blocksChanged).append(',');
        field(s, "blocksZeroed", blocksZeroed).append(',');
        field(s, "elapsedSeconds", String.format(Locale.ROOT, "%.6f", elapsed.toNanos() / 1e9)).append(',');
        field(s, "identical", identical()).append(',');
        s.append("\"differingRanges\":[");
        for (int i = 0; i < differingRanges.size(); i++) {
            ByteRange r = differingRanges.get(i);
            s.append(i == 0 ? "" : ",").append("{\"offset\":").append(r.offset()).append(",\"length\":").append(r.length()).append('}');
        }
        s.append("],\"notes\":[");
        for (int i = 0; i < notes.size(); i++) {
            s.append(i == 0 ? "" : ",").append(quote(notes.get(i)));
        }
        return s.append("]}").toString();
    }

    private static void line(StringBuilder s, String label, String value) {
        s.append(String.format(Locale.ROOT, "  %-15s %s%n", label, value));
    }

    private static StringBuilder field(StringBuilder s, String name, Object value) {
        return s.append('"').append(name).append("\":").append(value);
    }

    static String quote(String text) {
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
