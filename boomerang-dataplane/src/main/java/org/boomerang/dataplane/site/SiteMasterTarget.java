package org.boomerang.dataplane.site;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.boomerang.dataplane.mastertarget.MasterTarget;
import org.boomerang.journal.JournalOptions;
import org.boomerang.journal.SegmentedJournal;

/**
 * A site's master target as the data plane reaches its replica journals: in this process, or in a
 * child process ({@link RoleHosting}). Streams reach it over gRPC at {@link #port()} either way; what
 * the data plane reads itself (points, views, the changes of a commit) it reads from the journal
 * directories, which the two share.
 */
sealed interface SiteMasterTarget extends AutoCloseable permits SiteMasterTarget.Embedded, SiteMasterTarget.Child {
    /** The port streams connect to. */
    int port();

    /** The journal directory of a stream (its replica). */
    Path journalDirectory(String stream);

    /**
     * The journal of {@code stream} for reading, empty when it has none; the caller closes the handle
     * when done (views opened from it must be closed first).
     */
    Optional<ReplicaJournal> open(String stream) throws IOException;

    /**
     * The journal of {@code stream} open for writing in this process (for retention), empty when it has
     * none or when the master target runs in a child process: that one's journals are the child's to change.
     */
    Optional<SegmentedJournal> writable(String stream) throws IOException;

    /** Lets go of the journal of {@code stream} (its stream has ended) before its directory is deleted. */
    void release(String stream) throws IOException;

    @Override
    void close();

    /**
     * A journal handle. {@code owned}: the handle is the caller's to close (a read-only open of a journal
     * another process writes); otherwise it is the master target's own instance, which stays open.
     */
    record ReplicaJournal(SegmentedJournal journal, boolean owned) implements AutoCloseable {
        public ReplicaJournal {
            requireNonNull(journal, "journal is null");
        }

        @Override
        public void close() throws IOException {
            if (owned) {
                journal.close();
            }
        }
    }

    /** The master target in this process: its own open journals, shared with its streams. */
    record Embedded(MasterTarget masterTarget) implements SiteMasterTarget {
        @Override
        public int port() {
            return masterTarget.port();
        }

        @Override
        public Path journalDirectory(String stream) {
            return masterTarget.config().journalDirectory(stream);
        }

        @Override
        public Optional<ReplicaJournal> open(String stream) throws IOException {
            return masterTarget.journal(stream).map(j -> new ReplicaJournal(j, false));
        }

        @Override
        public Optional<SegmentedJournal> writable(String stream) throws IOException {
            return masterTarget.journal(stream);
        }

        @Override
        public void release(String stream) throws IOException {
            masterTarget.release(stream);
        }

        @Override
        public void close() {
            masterTarget.close();
        }
    }

    /**
     * The master target in a child process that writes the journals under {@code data}. This process
     * opens them read-only ({@link SegmentedJournal#openReadOnly}: the durable part as of the open, no
     * lock taken), so a handle sees the records durable when it was opened.
     */
    record Child(RoleProcess process, Path data) implements SiteMasterTarget {
        @Override
        public int port() {
            return process.port();
        }

        @Override
        public Path journalDirectory(String stream) {
            return data.resolve("journals").resolve(stream);
        }

        @Override
        public Optional<ReplicaJournal> open(String stream) throws IOException {
            Path dir = journalDirectory(stream);
            if (!SegmentedJournal.exists(dir)) {
                return Optional.empty();
            }
            return Optional.of(new ReplicaJournal(SegmentedJournal.openReadOnly(dir, JournalOptions.defaults()), true));
        }

        /** None: retention is not applied to the journals of a master target in a child process (they are kept whole). */
        @Override
        public Optional<SegmentedJournal> writable(String stream) {
            return Optional.empty();
        }

        /**
         * Nothing to ask the child: the stream has ended, and the child's handles of a deleted journal are
         * let go when it stops or starts again. A later stream with the same name would find no journal and
         * create a new one, but a new pair's streams have new names (a new lineage).
         */
        @Override
        public void release(String stream) {}

        @Override
        public void close() {
            process.close();
        }
    }
}
