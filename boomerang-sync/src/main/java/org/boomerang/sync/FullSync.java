package org.boomerang.sync;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.boomerang.blockdev.ByteRange;
import org.boomerang.blockdev.Extent;
import org.boomerang.common.SyncMode;

/**
 * Full sync (alternate location recovery, first protection): every non-zero block of the source is
 * sent; the source's holes and all-zero blocks become zero ranges on the target (hole punch where it
 * can), so holes stay holes. The source's allocation map decides what is read at all: ranges it
 * reports as zero (image-file holes, NBD block status) are never read; everything else is read and
 * its zero blocks are found by looking.
 */
final class FullSync {
    private final SyncContext context;

    FullSync(SyncContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    SyncReport run() throws IOException {
        List<Extent> data = new ArrayList<>();
        List<Extent> holes = new ArrayList<>();
        if (context.size() > 0) {
            for (Extent e : context.source.device().allocation(0, context.size())) {
                (e.zero() ? holes : data).add(e);
            }
        }
        BlockCopier copier = context.copier();
        copier.zero(wholeBlocksOf(holes));
        copier.copy(blocksTouching(data));
        context.target.device().flush();
        if (context.source.overWire()) {
            context.notes.add("the source's data extents were read over the wire (NBD); ranges it reports as zero were not read");
        }
        return context.report(SyncMode.FULL, List.of());
    }

    /** Data extents widened to whole blocks and merged: a block with any data byte is read. */
    private List<ByteRange> blocksTouching(List<Extent> extents) {
        int bs = context.options.blockSize();
        List<ByteRange> out = new ArrayList<>();
        for (Extent e : extents) {
            add(out, floor(e.offset(), bs), Math.min(floor(e.end() + bs - 1, bs), context.size()));
        }
        return out;
    }

    /** Hole extents narrowed to the blocks they cover wholly (the disk's short last block counts as whole). */
    private List<ByteRange> wholeBlocksOf(List<Extent> extents) {
        int bs = context.options.blockSize();
        List<ByteRange> out = new ArrayList<>();
        for (Extent e : extents) {
            long end = e.end() == context.size() ? e.end() : floor(e.end(), bs);
            add(out, floor(e.offset() + bs - 1, bs), end);
        }
        return out;
    }

    private static void add(List<ByteRange> out, long start, long end) {
        if (end <= start) {
            return;
        }
        ByteRange last = out.isEmpty() ? null : out.getLast();
        if (last != null && last.end() >= start) {
            out.set(out.size() - 1, new ByteRange(last.offset(), Math.max(last.end(), end) - last.offset()));
        } else {
            out.add(new ByteRange(start, end - start));
        }
    }

    private static long floor(long v, int bs) {
        return v - v % bs;
    }
}
