package org.boomerang.sync;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.boomerang.common.BoomerangException;

/** Waits for pool work and rethrows its first failure as what it was. */
final class Futures {
    private Futures() {}

    static <T> void awaitAll(List<? extends Future<T>> futures) throws IOException {
        Throwable first = null;
        for (Future<T> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(x -> x.cancel(true));
                throw new InterruptedIOException("sync interrupted");
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause();
                    futures.forEach(x -> x.cancel(false));
                }
            } catch (java.util.concurrent.CancellationException e) {
                // Cancelled after an earlier failure; that failure is reported.
            }
        }
        if (first instanceof IOException io) {
            throw io;
        }
        if (first instanceof BoomerangException be) {
            throw be;
        }
        if (first instanceof RuntimeException re) {
            throw re;
        }
        if (first instanceof Error err) {
            throw err;
        }
        if (first != null) {
            throw new IOException(first);
        }
    }
}
