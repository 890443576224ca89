package org.boomerang.blockdev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** For tests that need a file's pages out of memory, so that reading them waits for the disk. */
public final class PageCache {
    private PageCache() {}

    /**
     * Drops the file's clean pages from the page cache (flush first): GNU dd's {@code iflag=nocache} is
     * {@code posix_fadvise(POSIX_FADV_DONTNEED)} over the whole file. Needs a file system with a page cache
     * (not tmpfs).
     */
    public static void drop(Path file) throws Exception {
        Process dd = new ProcessBuilder("dd", "if=" + file, "iflag=nocache", "count=0", "status=none").inheritIO().start();
        assertThat(dd.waitFor()).as("dd iflag=nocache (GNU coreutils) on " + file).isZero();
    }
}
