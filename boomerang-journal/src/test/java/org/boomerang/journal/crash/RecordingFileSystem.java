package org.boomerang.journal.crash;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.Set;

/**
 * A file system that is the default one underneath, with every write, fsync, truncation, creation,
 * rename and deletion recorded in a {@link CrashLog} (the seam under the journal's file I/O for the
 * crash-state simulator). Direct I/O is refused, so every write is recorded.
 */
public final class RecordingFileSystem extends FileSystem {
    private final RecordingProvider provider;
    private final FileSystem real = FileSystems.getDefault();

    public RecordingFileSystem(CrashLog log) {
        this.provider = new RecordingProvider(this, log);
    }

    /** The recording twin of a real path. */
    public Path path(Path real) {
        return new RecordingPath(this, real.toAbsolutePath());
    }

    @Override
    public FileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() {
        // nothing to release: the default file system stays open
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public String getSeparator() {
        return real.getSeparator();
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return java.util.List.of(new RecordingPath(this, real.getRootDirectories().iterator().next()));
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return real.getFileStores();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return real.supportedFileAttributeViews();
    }

    @Override
    public Path getPath(String first, String... more) {
        return new RecordingPath(this, real.getPath(first, more));
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        PathMatcher m = real.getPathMatcher(syntaxAndPattern);
        return p -> m.matches(RecordingPath.unwrap(p));
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        return real.getUserPrincipalLookupService();
    }

    @Override
    public WatchService newWatchService() throws IOException {
        throw new UnsupportedOperationException("no watching in the recording file system");
    }
}
