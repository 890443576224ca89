package org.boomerang.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Damages files the way disks and crashes do, for the corruption matrix of a format's tests
 * (BookKeeper's style): a flipped byte, a torn tail, a zeroed range. Writes go straight to the
 * file, without fsync: the test reads them back in the same process.
 */
public final class Corruption {
    /** What {@link #flipByte} XORs a byte with: changes several bits, never leaves it equal. */
    public static final int FLIP_MASK = 0x5a;

    private Corruption() {}

    /** XORs the byte at {@code position} with {@link #FLIP_MASK}. */
    public static void flipByte(Path file, long position) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (position < 0 || position >= ch.size()) {
                throw new IllegalArgumentException("position " + position + " is outside " + file + " (" + ch.size() + " bytes)");
            }
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, position);
            b.put(0, (byte) (b.get(0) ^ FLIP_MASK)).position(0);
            ch.write(b, position);
        }
    }

    /** Cuts the file to {@code length} bytes: a write torn by a crash. */
    public static void truncate(Path file, long length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(length);
        }
    }

    /** Overwrites {@code length} bytes at {@code position} with zeros: a lost page. */
    public static void zero(Path file, long position, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate(length);
            long at = position;
            while (zeros.hasRemaining()) {
                at += ch.write(zeros, at);
            }
        }
    }
}
