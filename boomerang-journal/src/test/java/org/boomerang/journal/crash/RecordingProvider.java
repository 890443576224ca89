package org.boomerang.journal.crash;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** The provider of {@link RecordingFileSystem}: delegates to the default provider and records what changes files. */
final class RecordingProvider extends FileSystemProvider {
    private final RecordingFileSystem fs;
    private final CrashLog log;
    private final FileSystemProvider real = java.nio.file.FileSystems.getDefault().provider();

    RecordingProvider(RecordingFileSystem fs, CrashLog log) {
        this.fs = fs;
        this.log = log;
    }

    private static Path real(Path p) {
        return RecordingPath.unwrap(p);
    }

    @Override
    public String getScheme() {
        return "recording";
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        throw new UnsupportedOperationException();
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        return fs;
    }

    @Override
    public Path getPath(URI uri) {
        return fs.path(Path.of(uri));
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        for (OpenOption o : options) {
            if (!(o instanceof StandardOpenOption)) {
                throw new UnsupportedOperationException("the recording file system records every write: no " + o);
            }
        }
        Path file = real(path);
        boolean existed = Files.exists(file);
        FileChannel ch = real.newFileChannel(file, options, attrs);
        if (Files.isDirectory(file)) {
            return new RecordingChannel(ch, log, file, true);
        }
        if (!existed) {
            log.created(file);
        } else if (options.contains(StandardOpenOption.TRUNCATE_EXISTING) && options.contains(StandardOpenOption.WRITE)) {
            log.truncated(file, 0);
        }
        return new RecordingChannel(ch, log, file, false);
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        return newFileChannel(path, options, attrs);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
        DirectoryStream<Path> inner = real.newDirectoryStream(real(dir), p -> filter.accept(new RecordingPath(fs, p)));
        return new DirectoryStream<>() {
            @Override
            public Iterator<Path> iterator() {
                Iterator<Path> it = inner.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Path next() {
                        return new RecordingPath(fs, it.next());
                    }
                };
            }

            @Override
            public void close() throws IOException {
                inner.close();
            }
        };
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        real.createDirectory(real(dir), attrs);
    }

    @Override
    public void delete(Path path) throws IOException {
        real.delete(real(path));
        log.deleted(real(path));
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) {
        throw new UnsupportedOperationException("the journal does not copy files");
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        real.move(real(source), real(target), options);
        log.renamed(real(source), real(target));
    }

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        return real.isSameFile(real(path), real(path2));
    }

    @Override
    public boolean isHidden(Path path) throws IOException {
        return real.isHidden(real(path));
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        return real.getFileStore(real(path));
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        real.checkAccess(real(path), modes);
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        return real.getFileAttributeView(real(path), type, options);
    }

    @Override
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        return real.readAttributes(real(path), type, options);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        return real.readAttributes(real(path), attributes, options);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        real.setAttribute(real(path), attribute, value, options);
    }
}
