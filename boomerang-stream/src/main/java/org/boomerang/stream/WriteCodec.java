package org.boomerang.stream;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.CRC32C;
import org.boomerang.stream.proto.Codec;
import org.boomerang.stream.proto.Record;
import org.boomerang.stream.proto.Write;

/**
 * Encodes and decodes the payload of {@link Write} records: optional zstd (kept only when smaller)
 * and the CRC32C of the bytes as written, checked on decode.
 *
 * <p>zstd contexts are pooled and reused: a one-shot {@code Zstd.compress} builds and frees a context
 * (hundreds of KiB of tables) for every record, which cost more CPU than compressing a 4 KiB write.
 *
 * <p>Thread-safety: safe; a context is used by one thread at a time (taken from the pool, given back).
 */
public final class WriteCodec {
    /** The largest write one record carries (as {@code CapturedChange.MAX_WRITE_BYTES}). */
    public static final int MAX_WRITE_BYTES = 1 << 20;

    /** Idle compression contexts by level; as many as threads ever compressed at once. */
    private static final ConcurrentHashMap<Integer, ConcurrentLinkedQueue<ZstdCompressCtx>> COMPRESSORS = new ConcurrentHashMap<>();
    /** Idle decompression contexts. */
    private static final ConcurrentLinkedQueue<ZstdDecompressCtx> DECOMPRESSORS = new ConcurrentLinkedQueue<>();

    private WriteCodec() {}

    /** A write record of the bytes from {@code data}'s position to its limit (not consumed); the record holds a copy. */
    public static Record write(long lsn, long offset, ByteBuffer data, int zstdLevel) {
        return write(lsn, offset, data, zstdLevel, false);
    }

    /**
     * As {@link #write(long, long, ByteBuffer, int)}, but an uncompressed record shares {@code data}'s bytes
     * instead of copying them: for a caller whose buffer is never written again (the agent's captured
     * writes), it saves two copies of every byte written.
     */
    public static Record writeShared(long lsn, long offset, ByteBuffer data, int zstdLevel) {
        return write(lsn, offset, data, zstdLevel, true);
    }

    private static Record write(long lsn, long offset, ByteBuffer data, int zstdLevel, boolean share) {
        ByteBuffer src = data.slice();
        int length = src.remaining();
        Write.Builder w = Write.newBuilder().setOffset(offset).setLength(length).setCrc32C(crc(src.duplicate()));
        byte[] raw = null;
        if (zstdLevel > 0) {
            raw = new byte[length];
            src.duplicate().get(raw);
            ByteString packed = zstd(raw, zstdLevel);
            if (packed != null) {
                return Record.newBuilder().setLsn(lsn).setWrite(w.setCodec(Codec.CODEC_ZSTD).setData(packed)).build();
            }
        }
        ByteString bytes;
        if (raw != null) {
            bytes = UnsafeByteOperations.unsafeWrap(raw);
        } else if (share) {
            bytes = UnsafeByteOperations.unsafeWrap(src.asReadOnlyBuffer());
        } else {
            bytes = ByteString.copyFrom(src.duplicate());
        }
        return Record.newBuilder().setLsn(lsn).setWrite(w.setCodec(Codec.CODEC_NONE).setData(bytes)).build();
    }

    /** The same record with its write compressed at {@code level} when that makes it smaller; others as they are. */
    public static Record compressed(Record record, int level) {
        if (!record.hasWrite() || record.getWrite().getCodec() != Codec.CODEC_NONE || level <= 0) {
            return record;
        }
        Write w = record.getWrite();
        ByteString packed = zstd(w.getData().toByteArray(), level);
        if (packed == null) {
            return record;
        }
        return record.toBuilder().setWrite(w.toBuilder().setCodec(Codec.CODEC_ZSTD).setData(packed)).build();
    }

    /** One zstd frame (content size in its header) of {@code raw}, or null when it is not smaller than {@code raw}. */
    private static ByteString zstd(byte[] raw, int level) {
        ConcurrentLinkedQueue<ZstdCompressCtx> idle = COMPRESSORS.computeIfAbsent(level, l -> new ConcurrentLinkedQueue<>());
        ZstdCompressCtx ctx = idle.poll();
        if (ctx == null) {
            ctx = new ZstdCompressCtx().setLevel(level).setContentSize(true).setChecksum(false);
        }
        try {
            byte[] out = new byte[(int) Zstd.compressBound(raw.length)];
            int n = ctx.compressByteArray(out, 0, out.length, raw, 0, raw.length);
            if (n >= raw.length) {
                return null;
            }
            // a frame much smaller than its buffer is copied out, so a record does not pin the whole buffer
            return n < out.length / 2 ? ByteString.copyFrom(out, 0, n) : UnsafeByteOperations.unsafeWrap(out, 0, n);
        } finally {
            idle.offer(ctx);
        }
    }

    /**
     * The bytes as written, checked: {@code MALFORMED_FRAME} when the codec is unknown, the data does not
     * decode to {@code length} bytes, or its CRC32C differs.
     */
    public static ByteBuffer decode(long lsn, Write w) {
        ByteBuffer out = switch (w.getCodec()) {
            case CODEC_NONE -> w.getData().asReadOnlyByteBuffer();
            case CODEC_ZSTD -> ByteBuffer.wrap(unzstd(lsn, w));
            case CODEC_UNSPECIFIED, UNRECOGNIZED -> throw malformed(lsn, "its codec is " + w.getCodec());
        };
        if (out.remaining() != w.getLength()) {
            throw malformed(lsn, "it carries " + out.remaining() + " bytes, the record says " + w.getLength());
        }
        if (crc(out.duplicate()) != w.getCrc32C()) {
            throw malformed(lsn, "its CRC32C does not match its data");
        }
        return out;
    }

    /**
     * The bytes of a write that {@link FrameCheck} accepted (decoded, its CRC32C checked), without checking
     * them again; a write still compressed is decoded and checked as by {@link #decode}.
     */
    public static ByteBuffer checked(long lsn, Write w) {
        return w.getCodec() == Codec.CODEC_NONE && w.getData().size() == w.getLength() ? w.getData().asReadOnlyByteBuffer() : decode(lsn, w);
    }

    private static byte[] unzstd(long lsn, Write w) {
        byte[] packed = w.getData().toByteArray();
        long size;
        try {
            size = Zstd.getFrameContentSize(packed);
        } catch (RuntimeException e) {
            throw malformed(lsn, "its zstd data does not decode (" + e.getMessage() + ")");
        }
        if (size != w.getLength()) {
            throw malformed(lsn, "its zstd frame holds " + size + " bytes, the record says " + w.getLength());
        }
        ZstdDecompressCtx ctx = DECOMPRESSORS.poll();
        if (ctx == null) {
            ctx = new ZstdDecompressCtx();
        }
        try {
            byte[] out = new byte[w.getLength()];
            int n = ctx.decompressByteArray(out, 0, out.length, packed, 0, packed.length);
            if (n != out.length) {
                throw malformed(lsn, "its zstd data decodes to " + n + " bytes, the record says " + w.getLength());
            }
            return out;
        } catch (RuntimeException e) {
            if (e instanceof StreamException) {
                throw e;
            }
            ctx.close();
            ctx = null;   // a context that failed mid-frame is not reused
            throw malformed(lsn, "its zstd data does not decode (" + e.getMessage() + ")");
        } finally {
            if (ctx != null) {
                DECOMPRESSORS.offer(ctx);
            }
        }
    }

    /** The payload bytes a record takes on the wire (for flow control and statistics). */
    public static int wireBytes(Record r) {
        return r.hasWrite() ? r.getWrite().getData().size() : 0;
    }

    /** The bytes a record changes on the disk as written (0 for markers and windows). */
    public static long rawBytes(Record r) {
        return r.hasWrite() ? r.getWrite().getLength() : 0;
    }

    private static int crc(ByteBuffer b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return (int) c.getValue();
    }

    private static StreamException malformed(long lsn, String what) {
        return new StreamException(StreamError.MALFORMED_FRAME, "write record lsn=" + lsn + " is malformed: " + what,
                "the sender is faulty or the data was damaged in transit; it resends after reconnecting");
    }
}
