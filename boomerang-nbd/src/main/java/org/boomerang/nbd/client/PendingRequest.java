package org.boomerang.nbd.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.boomerang.nbd.protocol.NbdProtocol;

/**
 * One NBD request in flight: what the reply reader needs to place its data and complete it.
 * Thread-safety: created by the sending thread, then touched by the reader thread only.
 */
final class PendingRequest {
    final int command;
    final long offset;
    final ByteBuffer readInto;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final List<long[]> status = new ArrayList<>();
    NbdClientException error;

    PendingRequest(int command, long offset, ByteBuffer readInto) {
        this.command = command;
        this.offset = offset;
        this.readInto = readInto;
    }

    /** The part of the read buffer for a chunk at {@code chunkOffset}; a chunk outside the request is a protocol error. */
    ByteBuffer slice(long chunkOffset, int length) throws IOException {
        long at = chunkOffset - offset;
        if (readInto == null || at < 0 || length < 0 || at + length > readInto.remaining()) {
            throw new IOException("reply chunk offset=" + chunkOffset + " length=" + length + " outside the request");
        }
        int start = readInto.position() + (int) at;
        return readInto.duplicate().limit(start + length).position(start);
    }

    String commandName() {
        return commandName(command);
    }

    static String commandName(int command) {
        return switch (command) {
            case NbdProtocol.CMD_READ -> "READ";
            case NbdProtocol.CMD_WRITE -> "WRITE";
            case NbdProtocol.CMD_FLUSH -> "FLUSH";
            case NbdProtocol.CMD_TRIM -> "TRIM";
            case NbdProtocol.CMD_WRITE_ZEROES -> "WRITE_ZEROES";
            case NbdProtocol.CMD_BLOCK_STATUS -> "BLOCK_STATUS";
            default -> "command " + command;
        };
    }
}
