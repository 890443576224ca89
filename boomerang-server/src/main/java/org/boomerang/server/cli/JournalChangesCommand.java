package org.boomerang.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.boomerang.blockdev.ChangeMap;
import org.boomerang.cli.OutputFormat;
import org.boomerang.common.ByteSize;
import org.boomerang.common.Lsn;
import org.boomerang.journal.Journal;
import org.boomerang.journal.PointName;
import org.boomerang.sync.SyncError;
import org.boomerang.sync.SyncException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code boomerang journal changes DIR --since POINT --to MAPFILE}: writes the blocks that the journal's
 * records after a recovery point wrote, trimmed or zeroed, as a change map carrying the journal's
 * generation id — the primary's side of a tracked sync (SPEC §2.4).
 */
@Command(name = "changes", mixinStandardHelpOptions = true,
        description = {"Write the blocks changed after a recovery point as a change map.",
            "The map is the input of 'boomerang sync --mode tracked --changes MAPFILE'. It carries the journal's generation id."})
public final class JournalChangesCommand implements Callable<Integer> {
    /** How the summary is printed. */
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The journal directory.")
    Path dir;

    @Option(names = "--since", required = true, paramLabel = "POINT",
            description = "latest, latest-processed, latest-app-consistent, a point id, or lsn:N.")
    String since;

    @Option(names = "--to", required = true, paramLabel = "MAPFILE", description = "The change map to write (atomically).")
    Path to;

    @Option(names = "--block-size", paramLabel = "SIZE", defaultValue = "64K",
            description = "Block size of the map; the same as the sync's (default: ${DEFAULT-VALUE}).")
    String blockSize;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text", converter = OutputFormat.Converter.class, description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Override
    public Integer call() throws IOException {
        int bs = blockSize();
        try (Journal journal = Journal.openReadOnly(dir)) {
            Lsn after = journal.resolve(PointName.parse(since));
            ChangeMap map = journal.changeMapSince(after, bs);
            map.writeTo(to);
            PrintWriter out = spec.commandLine().getOut();
            switch (output) {
                case TEXT -> out.printf("wrote %s: %d blocks of %s (%s) changed after %s up to %s, generation %s%n", to,
                        map.markedCount(), ByteSize.format(bs), ByteSize.format(map.markedBytes()), after,
                        journal.lastLsn(), map.generation());
                case JSON -> out.println("{\"map\":\"" + to.toString().replace("\\", "\\\\").replace("\"", "\\\"")
                        + "\",\"since\":" + after.value() + ",\"upTo\":" + journal.lastLsn().value()
                        + ",\"blockSize\":" + bs + ",\"blocksChanged\":" + map.markedCount()
                        + ",\"bytesChanged\":" + map.markedBytes() + ",\"generation\":\"" + map.generation() + "\"}");
            }
            out.flush();
        }
        return 0;
    }

    private int blockSize() {
        long bs;
        try {
            bs = ByteSize.parse(blockSize);
        } catch (IllegalArgumentException e) {
            throw new SyncException(SyncError.SYNC_BAD_OPTION, e.getMessage(), "write e.g. --block-size 64K");
        }
        if (bs < 512 || bs > (1 << 30) || Long.bitCount(bs) != 1) {
            throw new SyncException(SyncError.SYNC_BAD_OPTION, "block size must be a power of two from 512 bytes to 1 GiB: "
                    + blockSize, "use the sync's block size, 64K by default");
        }
        return (int) bs;
    }
}
