package org.boomerang.nbd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.boomerang.nbd.protocol.NbdProtocol.*;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.boomerang.blockdev.PageCache;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server against hand-made bytes: the handshake, every reply style, and every kind of bad input. */
class NbdServerProtocolTest {
    private static final int MIB = 1 << 20;
    private static final int SIZE = 4 * MIB;

    @TempDir
    Path dir;

    private RawFileBlockDevice disk;
    private RawFileBlockDevice readOnly;
    private NbdServer server;

    @BeforeEach
    void start() throws Exception {
        disk = RawFileBlockDevice.create(dir.resolve("d.img"), SIZE);
        RawFileBlockDevice.create(dir.resolve("r.img"), MIB).close();
        readOnly = RawFileBlockDevice.open(dir.resolve("r.img"), true);
        server = NbdServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
                .export("d", disk, "the disk").export("r", readOnly, "read-only").build().start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        disk.close();
        readOnly.close();
    }

    @Test
    void listsExportsAndAnswersInfo() throws Exception {
        try (TestingNbdClient c = TestingNbdClient.connect(server.port())) {
            c.send(ByteBuffer.allocate(4).putInt(CLIENT_FLAG_FIXED_NEWSTYLE).flip());
            c.option(OPT_LIST, new byte[0]);
            ByteBuffer first = c.expectReply(OPT_LIST, REP_SERVER).data();
            int n = first.getInt();
            assertThat(new String(first.array(), 4, n, StandardCharsets.UTF_8)).isEqualTo("d");
            c.expectReply(OPT_LIST, REP_SERVER);
            c.expectReply(OPT_LIST, REP_ACK);
            c.option(OPT_INFO, ByteBuffer.allocate(4 + 1 + 2 + 4).putInt(1).put((byte) 'd').putShort((short) 2)
                    .putShort((short) INFO_DESCRIPTION).putShort((short) INFO_NAME).array());
            boolean sawExport = false;
            boolean sawDescription = false;
            while (true) {
                TestingNbdClient.OptionReply r = c.readOptionReply();
                if (r.type() == REP_ACK) {
                    break;
                }
                assertThat(r.type()).isEqualTo(REP_INFO);
                int type = r.data().getShort(0);
                if (type == INFO_EXPORT) {
                    sawExport = true;
                    assertThat(r.data().getLong(2)).isEqualTo(SIZE);
                } else if (type == INFO_DESCRIPTION) {
                    sawDescription = true;
                    assertThat(new String(r.data().array(), 2, r.data().limit() - 2, StandardCharsets.UTF_8)).isEqualTo("the disk");
                } else if (type == INFO_BLOCK_SIZE) {
                    assertThat(r.data().getInt(10)).isEqualTo(MAX_PAYLOAD);
                }
            }
            assertThat(sawExport).isTrue();
            assertThat(sawDescription).isTrue();
            c.option(OPT_ABORT, new byte[0]);
            c.expectReply(OPT_ABORT, REP_ACK);
            assertThat(c.serverClosed()).isTrue();
        }
    }

    @Test
    void unknownOptionIsUnsupportedAndTheSessionGoesOn() throws Exception {
        try (TestingNbdClient c = TestingNbdClient.connect(server.port())) {
            c.send(ByteBuffer.allocate(4).putInt(CLIENT_FLAG_FIXED_NEWSTYLE | CLIENT_FLAG_NO_ZEROES).flip());
            c.option(4242, new byte[] {1, 2, 3});
            c.expectReply(4242, REP_ERR_UNSUP);
            c.option(OPT_STARTTLS, new byte[0]);
            c.expectReply(OPT_STARTTLS, REP_ERR_UNSUP);
            c.go("d");
            assertThat(c.exportSize).isEqualTo(SIZE);
            assertThat(c.transmissionFlags & TFLAG_CAN_MULTI_CONN).isNotZero();
            assertWorks(c, false);
        }
    }

    @Test
    void malformedAndOversizedOptionsAreRefusedAndTheSessionGoesOn() throws Exception {
        try (TestingNbdClient c = TestingNbdClient.connect(server.port())) {
            c.send(ByteBuffer.allocate(4).putInt(CLIENT_FLAG_FIXED_NEWSTYLE | CLIENT_FLAG_NO_ZEROES).flip());
            c.option(OPT_GO, new byte[] {0, 0, 0, 9, 'd'}); // name longer than the payload
            c.expectReply(OPT_GO, REP_ERR_INVALID);
            c.option(OPT_LIST, new byte[] {1});
            c.expectReply(OPT_LIST, REP_ERR_INVALID);
            c.option(OPT_INFO, new byte[MAX_OPTION_LENGTH + 1]);
            c.expectReply(OPT_INFO, REP_ERR_TOO_BIG);
            c.option(OPT_GO, ByteBuffer.allocate(9).putInt(3).put("nop".getBytes()).putShort((short) 0).array());
            c.expectReply(OPT_GO, REP_ERR_UNKNOWN);
            // meta contexts need structured replies first
            c.option(OPT_SET_META_CONTEXT, metaContext("d", META_CONTEXT_BASE_ALLOCATION));
            c.expectReply(OPT_SET_META_CONTEXT, REP_ERR_INVALID);
            c.go("d");
            assertWorks(c, false);
        }
    }

    @Test
    void wrongOptionMagicOrUnknownClientFlagsOrUnknownExportNameEndTheConnection() throws Exception {
        try (TestingNbdClient c = TestingNbdClient.connect(server.port())) {
            c.send(ByteBuffer.allocate(4).putInt(CLIENT_FLAG_FIXED_NEWSTYLE).flip());
            c.send(ByteBuffer.allocate(16).putLong(0x1122334455667788L).putInt(OPT_LIST).putInt(0).flip());
            assertThat(c.serverClosed()).isTrue();
        }
        try (TestingNbdClient c = TestingNbdClient.connect(server.port())) {
            c.send(ByteBuffer.allocate(4).putInt(0x80).flip());
            assertThat(c.serverClosed()).isTrue();
        }
        try (TestingNbdClient c = TestingNbdClient.connect(server.port())) {
            c.send(ByteBuffer.allocate(4).putInt(CLIENT_FLAG_FIXED_NEWSTYLE).flip());
            c.option(OPT_EXPORT_NAME, "nope".getBytes());
            assertThat(c.serverClosed()).isTrue();
        }
        try (TestingNbdClient c = TestingNbdClient.open(server.port(), "d", false)) {
            assertWorks(c, false);
        }
    }

    @Test
    void exportNameEntersTransmissionWithTheReservedZeroes() throws Exception {
        try (TestingNbdClient c = TestingNbdClient.connect(server.port())) {
            c.send(ByteBuffer.allocate(4).putInt(CLIENT_FLAG_FIXED_NEWSTYLE).flip());
            c.option(OPT_EXPORT_NAME, "d".getBytes());
            ByteBuffer reply = c.read(8 + 2 + 124);
            assertThat(reply.getLong()).isEqualTo(SIZE);
            assertThat(reply.getShort() & TFLAG_SEND_TRIM).isNotZero();
            assertWorks(c, false);
        }
    }

    @Test
    void badRequestsGetTheProtocolsErrorsAndTheConnectionGoesOn() throws Exception {
        try (TestingNbdClient c = TestingNbdClient.open(server.port(), "d", false)) {
            c.request(0, 99, 1, 0, 0);
            assertThat(c.readSimple()).isEqualTo(new TestingNbdClient.SimpleReply(EINVAL, 1));
            c.request(0, CMD_READ, 2, SIZE - 10, 11);
            assertThat(c.readSimple().error()).isEqualTo(EINVAL);
            c.request(0, CMD_READ, 3, -1L, 1); // offset 2^64-1
            assertThat(c.readSimple().error()).isEqualTo(EINVAL);
            c.request(0, CMD_WRITE, 4, SIZE - 2, 4);
            c.send(new byte[] {1, 2, 3, 4});
            assertThat(c.readSimple().error()).isEqualTo(ENOSPC);
            c.request(0, CMD_WRITE_ZEROES, 5, SIZE, 1);
            assertThat(c.readSimple().error()).isEqualTo(ENOSPC);
            c.request(0, CMD_TRIM, 6, SIZE, 1);
            assertThat(c.readSimple().error()).isEqualTo(ENOSPC);
            c.request(0, CMD_READ, 7, 0, MAX_PAYLOAD + 1L);
            assertThat(c.readSimple().error()).isEqualTo(EOVERFLOW);
            c.request(0, CMD_WRITE, 8, 0, MAX_PAYLOAD + 1L); // the oversized payload is read and dropped
            c.send(new byte[MAX_PAYLOAD + 1]);
            assertThat(c.readSimple().error()).isEqualTo(EOVERFLOW);
            c.request(CMD_FLAG_DF, CMD_READ, 9, 0, 512); // DF is not offered
            assertThat(c.readSimple().error()).isEqualTo(EINVAL);
            c.request(0, CMD_BLOCK_STATUS, 10, 0, 512); // no meta context negotiated
            assertThat(c.readSimple().error()).isEqualTo(EINVAL);
            assertWorks(c, false);
        }
        assertThat(Files.size(dir.resolve("d.img"))).isEqualTo(SIZE);
        ByteBuffer head = ByteBuffer.allocate(8);
        disk.read(0, head);
        assertThat(head.array()).containsOnly(0);
    }

    @Test
    void writesToAReadOnlyExportAreRefusedWithEperm() throws Exception {
        try (TestingNbdClient c = TestingNbdClient.open(server.port(), "r", false)) {
            assertThat(c.transmissionFlags & TFLAG_READ_ONLY).isNotZero();
            assertThat(c.transmissionFlags & (TFLAG_SEND_TRIM | TFLAG_SEND_WRITE_ZEROES | TFLAG_SEND_FUA)).isZero();
            c.request(0, CMD_WRITE, 1, 0, 3);
            c.send(new byte[] {7, 7, 7});
            assertThat(c.readSimple().error()).isEqualTo(EPERM);
            c.request(0, CMD_TRIM, 2, 0, 512);
            assertThat(c.readSimple().error()).isEqualTo(EPERM);
            c.request(0, CMD_WRITE_ZEROES, 3, 0, 512);
            assertThat(c.readSimple().error()).isEqualTo(EPERM);
            c.request(0, CMD_FLUSH, 4, 0, 0);
            assertThat(c.readSimple().error()).isZero();
        }
        assertThat(Files.readAllBytes(dir.resolve("r.img"))).containsOnly(0);
    }

    @Test
    void wrongRequestMagicAndTruncatedRequestsDropOnlyThatClient() throws Exception {
        try (TestingNbdClient bystander = TestingNbdClient.open(server.port(), "d", true)) {
            try (TestingNbdClient c = TestingNbdClient.open(server.port(), "d", false)) {
                ByteBuffer bad = TestingNbdClient.header(0, CMD_READ, 1, 0, 512);
                bad.putInt(0, 0x12345678);
                c.send(bad);
                assertThat(c.serverClosed()).isTrue();
            }
            try (TestingNbdClient c = TestingNbdClient.open(server.port(), "d", false)) {
                ByteBuffer half = TestingNbdClient.header(0, CMD_WRITE, 1, 0, 4096);
                half.limit(20);
                c.send(half);
            }
            try (TestingNbdClient c = TestingNbdClient.open(server.port(), "d", false)) {
                c.request(0, CMD_WRITE, 1, 0, 4096);
                byte[] part = new byte[1000];
                java.util.Arrays.fill(part, (byte) 0x55);
                c.send(part); // then hang up: the write must not be applied
            }
            assertWorks(bystander, true);
        }
        ByteBuffer head = ByteBuffer.allocate(4096);
        disk.read(0, head);
        assertThat(head.array()).containsOnly(0);
    }

    @Test
    void structuredReadsReportHolesAndBlockStatusFollowsTrim() throws Exception {
        try (TestingNbdClient c = TestingNbdClient.connect(server.port())) {
            c.send(ByteBuffer.allocate(4).putInt(CLIENT_FLAG_FIXED_NEWSTYLE | CLIENT_FLAG_NO_ZEROES).flip());
            c.option(OPT_STRUCTURED_REPLY, new byte[0]);
            c.expectReply(OPT_STRUCTURED_REPLY, REP_ACK);
            c.option(OPT_LIST_META_CONTEXT, metaContext("d"));
            c.expectReply(OPT_LIST_META_CONTEXT, REP_META_CONTEXT);
            c.expectReply(OPT_LIST_META_CONTEXT, REP_ACK);
            c.option(OPT_SET_META_CONTEXT, metaContext("d", "qemu:dirty-bitmap:x", META_CONTEXT_BASE_ALLOCATION));
            int id = c.expectReply(OPT_SET_META_CONTEXT, REP_META_CONTEXT).data().getInt();
            c.expectReply(OPT_SET_META_CONTEXT, REP_ACK);
            c.go("d");

            byte[] data = new byte[MIB];
            java.util.Arrays.fill(data, (byte) 0xab);
            c.request(0, CMD_WRITE, 1, 0, MIB);
            c.send(data);
            assertThat(c.readSimple().error()).isZero();
            c.request(0, CMD_TRIM, 2, 256 * 1024, 256 * 1024);
            assertThat(c.readSimple().error()).isZero();

            c.request(0, CMD_READ, 3, 0, 2 * MIB);
            long covered = 0;
            boolean sawHole = false;
            while (true) {
                TestingNbdClient.Chunk chunk = c.readChunk();
                assertThat(chunk.cookie()).isEqualTo(3);
                if (chunk.type() == REPLY_TYPE_OFFSET_DATA) {
                    long off = chunk.payload().getLong();
                    while (chunk.payload().hasRemaining()) {
                        assertThat(chunk.payload().get()).as("data at %d", off).isEqualTo((byte) 0xab);
                    }
                    covered += chunk.payload().limit() - 8;
                } else {
                    assertThat(chunk.type()).isEqualTo(REPLY_TYPE_OFFSET_HOLE);
                    sawHole = true;
                    covered += Integer.toUnsignedLong(chunk.payload().getInt(8));
                }
                if (chunk.done()) {
                    break;
                }
            }
            assertThat(covered).isEqualTo(2 * MIB);
            assertThat(sawHole).isTrue();

            c.request(0, CMD_BLOCK_STATUS, 4, 0, 2 * MIB);
            TestingNbdClient.Chunk status = c.readChunk();
            assertThat(status.type()).isEqualTo(REPLY_TYPE_BLOCK_STATUS);
            assertThat(status.done()).isTrue();
            assertThat(status.payload().getInt()).isEqualTo(id);
            assertThat(status.payload().getInt()).isEqualTo(256 * 1024);
            assertThat(status.payload().getInt()).isZero();
            assertThat(status.payload().getInt()).isEqualTo(256 * 1024);
            assertThat(status.payload().getInt()).isEqualTo(STATE_HOLE | STATE_ZERO);

            c.request(CMD_FLAG_REQ_ONE, CMD_BLOCK_STATUS, 5, 0, 2 * MIB);
            assertThat(c.readChunk().payload().limit()).isEqualTo(4 + 8);

            c.request(0, CMD_READ, 6, SIZE, 1); // structured error chunk
            TestingNbdClient.Chunk error = c.readChunk();
            assertThat(error.type()).isEqualTo(REPLY_TYPE_ERROR);
            assertThat(error.done()).isTrue();
            assertThat(error.payload().getInt()).isEqualTo(EINVAL);

            c.request(0, CMD_CACHE, 7, 0, 4096);
            assertThat(c.readSimple().error()).isZero();
            c.request(CMD_FLAG_NO_HOLE | CMD_FLAG_FUA, CMD_WRITE_ZEROES, 8, 0, 4096);
            assertThat(c.readSimple().error()).isZero();
            c.request(0, CMD_DISC, 9, 0, 0);
            assertThat(c.serverClosed()).isTrue();
        }
        ByteBuffer zeroed = ByteBuffer.allocate(4097);
        disk.read(0, zeroed);
        assertThat(java.util.Arrays.copyOf(zeroed.array(), 4096)).containsOnly(0);
        assertThat(zeroed.get(4096)).isEqualTo((byte) 0xab);
    }

    @Test
    void simpleRepliesCarryLargeReadsAndPipelinedRequestsAllGetAnswers() throws Exception {
        byte[] data = new byte[2 * MIB];
        new Random(3).nextBytes(data);
        disk.write(MIB, ByteBuffer.wrap(data), false);
        try (TestingNbdClient c = TestingNbdClient.open(server.port(), "d", false)) {
            for (int i = 0; i < 16; i++) { // pipelined: all sent before any reply is read
                c.request(0, i % 2 == 0 ? CMD_READ : CMD_FLUSH, i, MIB, i % 2 == 0 ? 2 * MIB : 0);
            }
            java.util.Set<Long> answered = new java.util.HashSet<>();
            for (int i = 0; i < 16; i++) {
                TestingNbdClient.SimpleReply r = c.readSimple();
                assertThat(r.error()).isZero();
                answered.add(r.cookie());
                if (r.cookie() % 2 == 0) {
                    assertThat(c.read(2 * MIB).array()).isEqualTo(data);
                }
            }
            assertThat(answered).hasSize(16);
        }
    }

    /**
     * Every way a READ can be answered returns the disk's bytes: sent from the file (a large read while the
     * server has one connection) or read into a buffer (small reads; every read while it has more), with
     * simple replies and with structured ones whose holes are chunks of their own. Between rounds the disk
     * is written and trimmed through NBD, and the next reads must show it.
     */
    @Test
    void readsReturnTheDisksBytesWhicheverWayTheyAreAnswered() throws Exception {
        byte[] model = new byte[SIZE];
        new Random(5).nextBytes(model);
        disk.write(0, ByteBuffer.wrap(model), false);
        long[][] ranges = {{0, 1}, {4095, 4097}, {MIB - 7, 64 * 1024}, {MIB - 100, 200_000}, {3 * MIB + 5, MIB - 5}, {0, SIZE}};
        Random random = new Random(6);
        for (int round = 0; round < 4; round++) {
            boolean structured = round % 2 == 1;
            boolean crowded = round >= 2; // a second connection: large reads are read into buffers too
            try (TestingNbdClient c = TestingNbdClient.open(server.port(), "d", structured);
                    TestingNbdClient other = crowded ? TestingNbdClient.open(server.port(), "d", false) : null) {
                for (long[] r : ranges) {
                    assertThat(java.util.Arrays.equals(read(c, structured, r[0], (int) r[1]),
                            java.util.Arrays.copyOfRange(model, (int) r[0], (int) (r[0] + r[1]))))
                            .as("round %d: %d bytes at %d", round, r[1], r[0]).isTrue();
                }
                int at = random.nextInt(SIZE - 300_000);
                byte[] fresh = new byte[300_000];
                random.nextBytes(fresh);
                c.request(0, CMD_WRITE, 100, at, fresh.length);
                c.send(fresh);
                assertThat(c.readSimple().error()).isZero();
                System.arraycopy(fresh, 0, model, at, fresh.length);
                c.request(0, CMD_TRIM, 101, MIB, MIB);
                assertThat(c.readSimple().error()).isZero();
                java.util.Arrays.fill(model, MIB, 2 * MIB, (byte) 0);
            }
        }
    }

    /**
     * READs of ranges that are not in the page cache are held back and run together after the rest of the
     * burst that has arrived (here small writes elsewhere, whose replies may thus come first): every reply
     * must still carry its own request's bytes, matched by cookie, with simple and with structured replies.
     * (Which replies come first depends on how the burst arrives, so the test does not assert an order.)
     */
    @Test
    void coldReadsAreHeldBackAndEachStillCarriesItsOwnBytes() throws Exception {
        byte[] model = new byte[SIZE];
        new Random(8).nextBytes(model);
        disk.write(0, ByteBuffer.wrap(model), false);
        disk.trim(3 * MIB, 256 * 1024);
        java.util.Arrays.fill(model, 3 * MIB, 3 * MIB + 256 * 1024, (byte) 0);
        disk.flush();
        int n = 16;
        long[] offsets = new long[n];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = (long) i * (SIZE / n / 2) + i; // the first half of the disk
            lengths[i] = i % 2 == 0 ? SIZE / n / 2 - i : 4096 + i;
        }
        byte[] small = new byte[512];
        for (boolean structured : new boolean[] {false, true}) {
            PageCache.drop(dir.resolve("d.img"));
            assertThat(disk.inMemory(0, SIZE / 2)).as("the image's pages were dropped from the page cache").isFalse();
            try (TestingNbdClient c = TestingNbdClient.open(server.port(), "d", structured)) {
                for (int i = 0; i < n; i++) { // pipelined: all sent before any reply is read
                    c.request(0, CMD_READ, i, offsets[i], lengths[i]);
                    c.request(0, CMD_WRITE, 100 + i, SIZE - MIB + i * small.length, small.length);
                    c.send(small);
                }
                java.util.List<Long> order = new java.util.ArrayList<>();
                for (int k = 0; k < 2 * n; k++) {
                    long cookie;
                    byte[] got = null;
                    switch (c.readReply()) {
                        case TestingNbdClient.Chunk first -> { // structured: READs only
                            cookie = first.cookie();
                            got = assemble(c, first, offsets[(int) cookie], lengths[(int) cookie]);
                        }
                        case TestingNbdClient.SimpleReply r -> {
                            assertThat(r.error()).isZero();
                            cookie = r.cookie();
                            if (cookie < n) {
                                assertThat(structured).as("a simple reply to a READ in structured mode").isFalse();
                                got = c.read(lengths[(int) cookie]).array();
                            }
                        }
                        default -> throw new AssertionError("unexpected reply");
                    }
                    if (got != null) {
                        int i = (int) cookie;
                        assertThat(java.util.Arrays.equals(got, java.util.Arrays.copyOfRange(model, (int) offsets[i], (int) offsets[i] + lengths[i])))
                                .as("READ %d (%d bytes at %d), structured %s", i, lengths[i], offsets[i], structured).isTrue();
                    }
                    order.add(cookie);
                }
                assertThat(order).containsExactlyInAnyOrderElementsOf(
                        java.util.stream.LongStream.range(0, n).flatMap(i -> java.util.stream.LongStream.of(i, 100 + i)).boxed().toList());
            }
        }
    }

    /** One READ's data, from a simple reply or assembled from structured chunks (holes as zeroes). */
    private static byte[] read(TestingNbdClient c, boolean structured, long offset, int length) throws Exception {
        c.request(0, CMD_READ, 7, offset, length);
        if (!structured) {
            assertThat(c.readSimple().error()).isZero();
            return c.read(length).array();
        }
        return assemble(c, c.readChunk(), offset, length);
    }

    /** A structured READ reply's data from its first chunk on, holes as zeroes; every chunk must be the same READ's. */
    private static byte[] assemble(TestingNbdClient c, TestingNbdClient.Chunk first, long offset, int length) throws Exception {
        byte[] out = new byte[length];
        long covered = 0;
        TestingNbdClient.Chunk chunk = first;
        while (true) {
            assertThat(chunk.cookie()).isEqualTo(first.cookie());
            if (chunk.type() == REPLY_TYPE_OFFSET_DATA) {
                int at = (int) (chunk.payload().getLong() - offset);
                int n = chunk.payload().remaining();
                chunk.payload().get(out, at, n);
                covered += n;
            } else {
                assertThat(chunk.type()).isEqualTo(REPLY_TYPE_OFFSET_HOLE);
                covered += Integer.toUnsignedLong(chunk.payload().getInt(8));
            }
            if (chunk.done()) {
                break;
            }
            chunk = c.readChunk();
        }
        assertThat(covered).isEqualTo(length);
        return out;
    }

    /**
     * Large and small writes (around {@link TransmissionSession#LARGE_WRITE}, with and without FUA) and small
     * reads sent in one burst before any reply is read: after a large write the server reads a header alone,
     * and every request must still be framed right and land where it was addressed.
     */
    @Test
    void pipelinedLargeAndSmallWritesLandExactly() throws Exception {
        int large = TransmissionSession.LARGE_WRITE;
        int[] lengths = {large, 1, large - 1, 2 * large + 5, 512, MIB, 3, large + 1, 4096, MIB - 7};
        int[] offsets = new int[lengths.length];
        for (int i = 1; i < lengths.length; i++) {
            offsets[i] = offsets[i - 1] + lengths[i - 1] + 7;
        }
        byte[] model = new byte[SIZE];
        Random random = new Random(11);
        try (TestingNbdClient c = TestingNbdClient.open(server.port(), "d", false)) {
            for (int i = 0; i < lengths.length; i++) {
                byte[] data = new byte[lengths[i]];
                random.nextBytes(data);
                c.request(i % 3 == 2 ? CMD_FLAG_FUA : 0, CMD_WRITE, i, offsets[i], data.length);
                c.send(data);
                System.arraycopy(data, 0, model, offsets[i], data.length);
                c.request(0, CMD_READ, 100 + i, offsets[i], 1); // a small request right behind every write
            }
            for (int i = 0; i < 2 * lengths.length; i++) {
                TestingNbdClient.SimpleReply r = c.readSimple();
                assertThat(r.error()).isZero();
                if (r.cookie() >= 100) {
                    int k = (int) r.cookie() - 100;
                    byte first = c.read(1).get();
                    if (k % 3 != 2) { // a FUA write runs beside the reader: a read behind it may come first
                        assertThat(first).as("first byte of write %d", k).isEqualTo(model[offsets[k]]);
                    }
                }
            }
        }
        assertThat(Files.readAllBytes(dir.resolve("d.img"))).isEqualTo(model);
    }

    /**
     * A client that connects and stalls in the handshake (silent, or half an option sent) is dropped after
     * the handshake limit; one that finished its handshake may then stay idle for longer, and the server
     * serves others meanwhile.
     */
    @Test
    void aStalledHandshakeIsDroppedButAnIdleSessionIsNot() throws Exception {
        try (NbdServer limited = NbdServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
                .export("d", disk).handshakeLimit(Duration.ofMillis(300)).build().start()) {
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                try (TestingNbdClient idle = TestingNbdClient.open(limited.port(), "d", true);
                        TestingNbdClient silent = TestingNbdClient.connect(limited.port());
                        TestingNbdClient halfway = TestingNbdClient.connect(limited.port())) {
                    halfway.send(ByteBuffer.allocate(4).putInt(CLIENT_FLAG_FIXED_NEWSTYLE).flip());
                    halfway.send(ByteBuffer.allocate(8).putLong(IHAVEOPT).flip()); // and never the rest
                    assertThat(silent.serverClosed()).isTrue();
                    assertThat(halfway.serverClosed()).isTrue();
                    Thread.sleep(600); // twice the limit, in transmission
                    assertWorks(idle, true);
                }
                try (TestingNbdClient c = TestingNbdClient.open(limited.port(), "d", false)) {
                    assertWorks(c, false);
                }
            });
        }
        assertThatThrownBy(() -> NbdServer.builder().handshakeLimit(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }

    /** Random bytes after a good handshake, in random pieces: the server drops the client and goes on. */
    @Test
    void garbageFromManyClientsNeverHurtsTheServerOrTheExport() throws Exception {
        byte[] before = Files.readAllBytes(dir.resolve("d.img"));
        Random random = new Random(42);
        for (int round = 0; round < 30; round++) {
            try (TestingNbdClient c = round % 2 == 0 ? TestingNbdClient.open(server.port(), "d", round % 4 == 0)
                    : TestingNbdClient.connect(server.port())) {
                byte[] garbage = new byte[1 + random.nextInt(4096)];
                random.nextBytes(garbage);
                int at = 0;
                while (at < garbage.length) {
                    int n = Math.min(garbage.length - at, 1 + random.nextInt(100));
                    c.send(ByteBuffer.wrap(garbage, at, n));
                    at += n;
                }
            } catch (java.io.IOException e) {
                // the server may hang up while we are still sending: that is the expected outcome
            }
        }
        try (TestingNbdClient c = TestingNbdClient.open(server.port(), "d", true)) {
            assertWorks(c, true);
        }
        assertThat(Files.size(dir.resolve("d.img"))).isEqualTo(SIZE);
        byte[] after = Files.readAllBytes(dir.resolve("d.img"));
        after[SIZE - 1] = before[SIZE - 1]; // assertWorks writes the last byte
        assertThat(after).isEqualTo(before);
    }

    /** Writes then reads the export's last byte: the connection is alive and framed. */
    private static void assertWorks(TestingNbdClient c, boolean structured) throws Exception {
        c.request(CMD_FLAG_FUA, CMD_WRITE, 77, SIZE - 1, 1);
        c.send(new byte[] {0x42});
        assertThat(c.readSimple()).isEqualTo(new TestingNbdClient.SimpleReply(0, 77));
        c.request(0, CMD_READ, 78, SIZE - 1, 1);
        if (structured) {
            TestingNbdClient.Chunk chunk = c.readChunk();
            assertThat(chunk.type()).isEqualTo(REPLY_TYPE_OFFSET_DATA);
            assertThat(chunk.payload().getLong()).isEqualTo(SIZE - 1);
            assertThat(chunk.payload().get()).isEqualTo((byte) 0x42);
        } else {
            assertThat(c.readSimple()).isEqualTo(new TestingNbdClient.SimpleReply(0, 78));
            assertThat(c.read(1).get()).isEqualTo((byte) 0x42);
        }
    }

    private static byte[] metaContext(String export, String... queries) {
        byte[] name = export.getBytes(StandardCharsets.UTF_8);
        int size = 4 + name.length + 4;
        for (String q : queries) {
            size += 4 + q.length();
        }
        ByteBuffer b = ByteBuffer.allocate(size).putInt(name.length).put(name).putInt(queries.length);
        for (String q : queries) {
            b.putInt(q.length()).put(q.getBytes(StandardCharsets.US_ASCII));
        }
        return b.array();
    }
}
