package org.boomerang.provider;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;

/**
 * What holds a disk's bytes. A lab disk is a sparse {@link ImageFile} under its datastore's folder;
 * a disk of a machine recovered from a failover view is the view's {@link NbdExport} (the view's
 * point-in-time data plus its writable overlay), so the recovered machine boots from the replica
 * and not from a new empty disk.
 */
public sealed interface DiskBacking {
    /** A raw (sparse) image file. */
    record ImageFile(Path path) implements DiskBacking {
        public ImageFile {
            requireNonNull(path, "path is null");
        }
    }

    /** A disk exported over NBD, e.g. {@code nbd://127.0.0.1:10809/web1-disk0}. */
    record NbdExport(URI uri) implements DiskBacking {
        public NbdExport {
            requireNonNull(uri, "uri is null");
            if (!"nbd".equals(uri.getScheme())) {
                throw new IllegalArgumentException("an NBD export is an nbd:// URI, not " + uri);
            }
        }
    }
}
