package org.boomerang.journal.crash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Everything a program did to the files under one directory, in order (as ALICE and CrashMonkey
 * record it), and the crash states that order allows.
 *
 * <p>The persistence model: a file's data ops (writes, truncations) before its last fsync are on disk;
 * later ones each reach the disk or not, in any order, and a write that reaches it may be torn at
 * 512-byte sectors. Names (create, rename, delete) before the directory's last fsync are on disk; later
 * ones reach it as a prefix, in order (metadata is journaled by the file system). Files that exist when
 * recording starts are on disk as they are.
 *
 * <p>Thread-safety: every method is synchronized.
 */
public final class CrashLog {
    /** The sector a write may be torn at. */
    public static final int SECTOR = 512;

    sealed interface Op permits Write, Truncate, Fsync, Create, Rename, Unlink, DirSync {}

    record Write(int inode, long position, byte[] data) implements Op {}

    record Truncate(int inode, long size) implements Op {}

    record Fsync(int inode) implements Op {}

    record Create(String name, int inode) implements Op {}

    record Rename(String from, String to) implements Op {}

    record Unlink(String name) implements Op {}

    record DirSync(String dir) implements Op {}

    private final Path root;
    private final List<Op> ops = new ArrayList<>();
    private final Map<String, Integer> names = new HashMap<>();
    private final Map<String, Integer> initialNames = new HashMap<>();
    private final Map<Integer, byte[]> initialContent = new HashMap<>();
    private int nextInode;
    private Predicate<String> failForce = name -> false;
    private int forcesToFail;

    /** Starts recording under {@code root}; the files there now are the durable starting state. */
    public CrashLog(Path root) throws IOException {
        this.root = root.toAbsolutePath();
        try (Stream<Path> files = Files.walk(this.root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                int inode = nextInode++;
                String name = name(p);
                names.put(name, inode);
                initialNames.put(name, inode);
                initialContent.put(inode, Files.readAllBytes(p));
            }
        }
    }

    /** The number of ops so far: a position to crash at. */
    public synchronized int position() {
        return ops.size();
    }

    /**
     * The positions inside a roll: after a rename of {@code spareName} (a spare becoming a segment) and
     * before the next directory fsync, the stretch where the new segment's name, its header and the old
     * segment's end are all unsynced.
     */
    public synchronized List<Integer> positionsInRolls(String spareName) {
        List<Integer> in = new ArrayList<>();
        boolean inside = false;
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            if (op instanceof Rename r && r.from().endsWith(spareName)) {
                inside = true;
            } else if (op instanceof DirSync) {
                inside = false;
            }
            if (inside) {
                in.add(i + 1);
            }
        }
        return in;
    }

    /** Makes the next {@code count} fsyncs of files whose name matches fail (an injected EIO). */
    public synchronized void failForces(Predicate<String> names, int count) {
        this.failForce = names;
        this.forcesToFail = count;
    }

    private String name(Path file) {
        Path p = file.toAbsolutePath();
        return p.startsWith(root) ? root.relativize(p).toString() : null;
    }

    synchronized void created(Path file) {
        String name = name(file);
        if (name != null) {
            int inode = nextInode++;
            names.put(name, inode);
            ops.add(new Create(name, inode));
        }
    }

    /** The inode a name under the root has now (null outside the root): what a channel opened on it writes. */
    synchronized Integer inodeOf(Path file) {
        return inode(file);
    }

    synchronized void truncated(Path file, long size) {
        Integer inode = inode(file);
        if (inode != null) {
            ops.add(new Truncate(inode, size));
        }
    }

    /** A write through a channel open on {@code inode} (whatever its name is now: a renamed file keeps its inode). */
    synchronized void wrote(Integer inode, long position, byte[] data) {
        if (inode != null && data.length > 0) {
            ops.add(new Write(inode, position, data));
        }
    }

    synchronized void truncated(Integer inode, long size) {
        if (inode != null) {
            ops.add(new Truncate(inode, size));
        }
    }

    synchronized void beforeForce(Integer inode) throws IOException {
        String name = inode == null ? null : nameOf(inode);
        if (name != null && forcesToFail > 0 && failForce.test(name)) {
            forcesToFail--;
            throw new IOException("injected fsync failure on " + name + " (EIO)");
        }
    }

    synchronized void forced(Integer inode) {
        if (inode != null) {
            ops.add(new Fsync(inode));
        }
    }

    synchronized void directoryForced(Path dir) {
        String name = name(dir);
        if (name != null) {
            ops.add(new DirSync(name));
        }
    }

    private String nameOf(int inode) {
        for (Map.Entry<String, Integer> e : names.entrySet()) {
            if (e.getValue() == inode) {
                return e.getKey();
            }
        }
        return null;
    }

    synchronized void deleted(Path file) {
        String name = name(file);
        if (name != null && names.remove(name) != null) {
            ops.add(new Unlink(name));
        }
    }

    synchronized void renamed(Path from, Path to) {
        String a = name(from);
        String b = name(to);
        if (a != null && b != null && names.containsKey(a)) {
            names.put(b, names.remove(a));
            ops.add(new Rename(a, b));
        }
    }

    private Integer inode(Path file) {
        String name = name(file);
        return name == null ? null : names.get(name);
    }

    /**
     * One crash state after the first {@code crashAt} ops: file name (relative to the root) to content.
     * Different {@code random}s give different states of the same moment.
     */
    public synchronized Map<String, byte[]> crashState(int crashAt, Random random) {
        List<Op> done = ops.subList(0, crashAt);
        // Names: everything up to each directory's last fsync, then a random prefix of the rest.
        Map<String, Integer> lastDirSync = new HashMap<>();
        for (int i = 0; i < done.size(); i++) {
            if (done.get(i) instanceof DirSync d) {
                lastDirSync.put(d.dir(), i);
            }
        }
        List<Integer> unsyncedNames = new ArrayList<>();
        for (int i = 0; i < done.size(); i++) {
            String dir = switch (done.get(i)) {
                case Create c -> parent(c.name());
                case Rename r -> parent(r.to());
                case Unlink u -> parent(u.name());
                case Write w -> null;
                case Truncate t -> null;
                case Fsync f -> null;
                case DirSync d -> null;
            };
            if (dir != null && lastDirSync.getOrDefault(dir, -1) < i) {
                unsyncedNames.add(i);
            }
        }
        int keepNames = unsyncedNames.isEmpty() ? 0 : random.nextInt(unsyncedNames.size() + 1);
        java.util.Set<Integer> droppedNames = new java.util.HashSet<>(unsyncedNames.subList(keepNames, unsyncedNames.size()));
        Map<String, Integer> state = new HashMap<>(initialNames);
        for (int i = 0; i < done.size(); i++) {
            if (droppedNames.contains(i)) {
                continue;
            }
            switch (done.get(i)) {
                case Create c -> state.put(c.name(), c.inode());
                case Rename r -> {
                    Integer inode = state.remove(r.from());
                    if (inode != null) {
                        state.put(r.to(), inode);
                    }
                }
                case Unlink u -> state.remove(u.name());
                case Write w -> { }
                case Truncate t -> { }
                case Fsync f -> { }
                case DirSync d -> { }
            }
        }
        // Data of each inode still named.
        Map<String, byte[]> files = new HashMap<>();
        for (Map.Entry<String, Integer> e : state.entrySet()) {
            files.put(e.getKey(), content(e.getValue(), done, random));
        }
        return files;
    }

    private byte[] content(int inode, List<Op> done, Random random) {
        int lastSync = -1;
        for (int i = 0; i < done.size(); i++) {
            if (done.get(i) instanceof Fsync f && f.inode() == inode) {
                lastSync = i;
            }
        }
        Content c = new Content(initialContent.getOrDefault(inode, new byte[0]));
        List<Op> unsynced = new ArrayList<>();
        for (int i = 0; i < done.size(); i++) {
            Op op = done.get(i);
            boolean mine = (op instanceof Write w && w.inode() == inode) || (op instanceof Truncate t && t.inode() == inode);
            if (!mine) {
                continue;
            }
            if (i < lastSync) {
                c.apply(op, null);
            } else {
                unsynced.add(op);
            }
        }
        Collections.shuffle(unsynced, random);
        for (Op op : unsynced) {
            if (random.nextBoolean()) {
                c.apply(op, random.nextBoolean() ? random : null);
            }
        }
        return Arrays.copyOf(c.bytes, c.size);
    }

    private static String parent(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }

    /** Writes a crash state into {@code dir} (created; must be empty). */
    public static void materialise(Map<String, byte[]> files, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path p = dir.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
    }

    /** A growing file image. */
    private static final class Content {
        byte[] bytes;
        int size;

        Content(byte[] initial) {
            bytes = initial.clone();
            size = initial.length;
        }

        /** Applies a write (torn at sectors when {@code tear} is given: each sector piece kept or not) or a truncation. */
        void apply(Op op, Random tear) {
            switch (op) {
                case Write w -> {
                    long pos = w.position();
                    int done = 0;
                    while (done < w.data().length) {
                        long at = pos + done;
                        int piece = (int) Math.min(w.data().length - done, SECTOR - (at % SECTOR));
                        if (tear == null || tear.nextBoolean()) {
                            put((int) at, w.data(), done, piece);
                        }
                        done += piece;
                    }
                }
                case Truncate t -> {
                    if (t.size() < size) {
                        Arrays.fill(bytes, (int) t.size(), size, (byte) 0);
                    }
                    size = (int) t.size();
                    ensure(size);
                }
                default -> throw new IllegalArgumentException("not a data op: " + op);
            }
        }

        private void put(int at, byte[] src, int from, int n) {
            ensure(at + n);
            System.arraycopy(src, from, bytes, at, n);
            size = Math.max(size, at + n);
        }

        private void ensure(int n) {
            if (bytes.length < n) {
                bytes = Arrays.copyOf(bytes, Math.max(n, bytes.length * 2));
            }
        }
    }
}
