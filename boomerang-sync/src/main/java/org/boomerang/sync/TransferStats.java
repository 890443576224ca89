package org.boomerang.sync;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one sync, updated by many worker threads. Thread-safe. */
final class TransferStats {
    final LongAdder sourceBytesRead = new LongAdder();
    final LongAdder targetBytesRead = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder bytesSentCompressed = new LongAdder();
    final LongAdder blocksWritten = new LongAdder();
    final LongAdder blocksZeroed = new LongAdder();
    final LongAdder bytesZeroed = new LongAdder();
}
