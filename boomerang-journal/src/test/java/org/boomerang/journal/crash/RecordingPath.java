package org.boomerang.journal.crash;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

/**
 * A path of a {@link RecordingFileSystem}: a real path of the default file system, wrapped so that
 * every file operation on it goes through the recording provider. Its string is the real path's, so
 * code that hands the name to the C library (native descriptors) reaches the same file.
 */
final class RecordingPath implements Path {
    private final RecordingFileSystem fs;
    private final Path real;

    RecordingPath(RecordingFileSystem fs, Path real) {
        this.fs = requireNonNull(fs, "fs is null");
        this.real = requireNonNull(real, "real is null");
    }

    Path real() {
        return real;
    }

    private Path wrap(Path p) {
        return p == null ? null : new RecordingPath(fs, p);
    }

    static Path unwrap(Path p) {
        return p instanceof RecordingPath r ? r.real : p;
    }

    @Override
    public RecordingFileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return real.isAbsolute();
    }

    @Override
    public Path getRoot() {
        return wrap(real.getRoot());
    }

    @Override
    public Path getFileName() {
        return wrap(real.getFileName());
    }

    @Override
    public Path getParent() {
        return wrap(real.getParent());
    }

    @Override
    public int getNameCount() {
        return real.getNameCount();
    }

    @Override
    public Path getName(int index) {
        return wrap(real.getName(index));
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        return wrap(real.subpath(beginIndex, endIndex));
    }

    @Override
    public boolean startsWith(Path other) {
        return real.startsWith(unwrap(other));
    }

    @Override
    public boolean endsWith(Path other) {
        return real.endsWith(unwrap(other));
    }

    @Override
    public Path normalize() {
        return wrap(real.normalize());
    }

    @Override
    public Path resolve(Path other) {
        return wrap(real.resolve(unwrap(other)));
    }

    @Override
    public Path relativize(Path other) {
        return wrap(real.relativize(unwrap(other)));
    }

    @Override
    public URI toUri() {
        return real.toUri();
    }

    @Override
    public Path toAbsolutePath() {
        return wrap(real.toAbsolutePath());
    }

    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
        return wrap(real.toRealPath(options));
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        throw new UnsupportedOperationException("no watching in the recording file system");
    }

    @Override
    public int compareTo(Path other) {
        return real.compareTo(unwrap(other));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordingPath r && r.real.equals(real);
    }

    @Override
    public int hashCode() {
        return real.hashCode();
    }

    @Override
    public String toString() {
        return real.toString();
    }
}
