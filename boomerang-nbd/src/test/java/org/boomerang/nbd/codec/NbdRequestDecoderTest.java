package org.boomerang.nbd.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.boomerang.nbd.protocol.NbdProtocol;
import org.junit.jupiter.api.Test;

class NbdRequestDecoderTest {
    private static final HexFormat HEX = HexFormat.of();

    /** READ, flags FUA, cookie 0x0102030405060708, offset 0x1000, length 0x200. */
    private static final byte[] READ = HEX.parseHex("25609513" + "0001" + "0000" + "0102030405060708"
            + "0000000000001000" + "00000200");
    /** WRITE of 5 bytes "hello" at offset 7, cookie 9. */
    private static final byte[] WRITE = HEX.parseHex("25609513" + "0000" + "0001" + "0000000000000009"
            + "0000000000000007" + "00000005" + "68656c6c6f");
    /** DISC. */
    private static final byte[] DISC = HEX.parseHex("25609513" + "0000" + "0002" + "00000000000000ff"
            + "0000000000000000" + "00000000");

    private static final List<NbdRequest> EXPECTED = List.of(
            new NbdRequest(NbdProtocol.CMD_FLAG_FUA, NbdProtocol.CMD_READ, 0x0102030405060708L, 0x1000, 0x200),
            new NbdRequest(0, NbdProtocol.CMD_WRITE, 9, 7, 5),
            new NbdRequest(0, NbdProtocol.CMD_DISC, 0xff, 0, 0));

    record Decoded(List<NbdRequest> requests, List<String> payloads) {}

    private static byte[] stream() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(READ);
        out.writeBytes(WRITE);
        out.writeBytes(DISC);
        return out.toByteArray();
    }

    /** Feeds {@code bytes} in pieces cut at {@code cuts}, as a network would deliver them. */
    private static Decoded decode(byte[] bytes, List<Integer> cuts) {
        NbdRequestDecoder decoder = new NbdRequestDecoder();
        List<NbdRequest> requests = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        ByteBuffer payload = null;
        int from = 0;
        List<Integer> ends = new ArrayList<>(cuts);
        ends.add(bytes.length);
        for (int to : ends) {
            ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from).slice();
            while (in.hasRemaining()) {
                if (decoder.state() == NbdRequestDecoder.State.PAYLOAD) {
                    decoder.readPayload(in, payload);
                    if (decoder.state() == NbdRequestDecoder.State.HEADER) {
                        payloads.add(new String(payload.array(), 0, payload.position()));
                    }
                    continue;
                }
                NbdRequest r = decoder.decodeHeader(in);
                if (r != null) {
                    requests.add(r);
                    if (r.payloadLength() > 0) {
                        payload = ByteBuffer.allocate((int) r.payloadLength());
                    }
                }
            }
            from = to;
        }
        assertThat(decoder.state()).isEqualTo(NbdRequestDecoder.State.HEADER);
        assertThat(decoder.hasPartialHeader()).isFalse();
        return new Decoded(requests, payloads);
    }

    @Test
    void decodesGoldenBytesWhole() {
        Decoded d = decode(stream(), List.of());
        assertThat(d.requests()).containsExactlyElementsOf(EXPECTED);
        assertThat(d.payloads()).containsExactly("hello");
        assertThat(d.requests().get(0).command()).contains(NbdCommand.READ);
        assertThat(d.requests().get(0).hasFlag(NbdProtocol.CMD_FLAG_FUA)).isTrue();
    }

    @Test
    void decodesGoldenBytesSplitAtEveryByte() {
        byte[] bytes = stream();
        for (int cut = 1; cut < bytes.length; cut++) {
            Decoded d = decode(bytes, List.of(cut));
            assertThat(d.requests()).as("split at %d", cut).containsExactlyElementsOf(EXPECTED);
            assertThat(d.payloads()).as("split at %d", cut).containsExactly("hello");
        }
    }

    @Test
    void decodesGoldenBytesByteByByteAndAtOddPoints() {
        byte[] bytes = stream();
        List<Integer> everyByte = new ArrayList<>();
        for (int i = 1; i < bytes.length; i++) {
            everyByte.add(i);
        }
        assertThat(decode(bytes, everyByte).requests()).containsExactlyElementsOf(EXPECTED);
        assertThat(decode(bytes, List.of(3, 17, 29, 31, 60)).requests()).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void decodesUnsignedFields() {
        byte[] bytes = HEX.parseHex("25609513" + "ffff" + "ffff" + "ffffffffffffffff" + "ffffffffffffffff" + "ffffffff");
        NbdRequest r = new NbdRequestDecoder().decodeHeader(ByteBuffer.wrap(bytes));
        assertThat(r.flags()).isEqualTo(0xffff);
        assertThat(r.type()).isEqualTo(0xffff);
        assertThat(r.length()).isEqualTo(0xffffffffL);
        assertThat(r.offset()).isEqualTo(-1L); // 2^64-1, which the server treats as out of range
        assertThat(r.command()).isEmpty();
    }

    @Test
    void wrongMagicFailsTheDecoderForGood() {
        NbdRequestDecoder decoder = new NbdRequestDecoder();
        byte[] bad = READ.clone();
        bad[0] = 0x26;
        assertThatThrownBy(() -> decoder.decodeHeader(ByteBuffer.wrap(bad)))
                .isInstanceOfSatisfying(NbdProtocolException.class, e -> assertThat(e.code()).isEqualTo(NbdError.BAD_MAGIC));
        assertThat(decoder.state()).isEqualTo(NbdRequestDecoder.State.FAILED);
        assertThat(decoder.state().isTerminal()).isTrue();
        assertThatThrownBy(() -> decoder.decodeHeader(ByteBuffer.wrap(READ))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPartialHeaderWaitsForMoreBytes() {
        NbdRequestDecoder decoder = new NbdRequestDecoder();
        assertThat(decoder.decodeHeader(ByteBuffer.wrap(READ, 0, 27))).isNull();
        assertThat(decoder.hasPartialHeader()).isTrue();
        assertThat(decoder.decodeHeader(ByteBuffer.wrap(READ, 27, 1))).isEqualTo(EXPECTED.getFirst());
    }

    @Test
    void aWritePayloadCanBeSkippedOrReadDirectly() {
        NbdRequestDecoder decoder = new NbdRequestDecoder();
        ByteBuffer in = ByteBuffer.wrap(WRITE, 0, 30);
        assertThat(decoder.decodeHeader(in).length()).isEqualTo(5);
        assertThat(decoder.skipPayload(in)).isEqualTo(2);
        assertThat(decoder.payloadRemaining()).isEqualTo(3);
        decoder.payloadReadDirectly(3);
        assertThat(decoder.state()).isEqualTo(NbdRequestDecoder.State.HEADER);
        assertThatThrownBy(() -> decoder.payloadReadDirectly(1)).isInstanceOf(IllegalStateException.class);
    }

    /**
     * Random garbage, fed in random splits: the decoder either frames requests or fails with BAD_MAGIC,
     * never anything else, and never reads past its input. Valid streams with random splits always decode
     * to the same requests.
     */
    @Test
    void randomGarbageOnlyEverYieldsRequestsOrBadMagic() {
        Random random = new Random(20261126);
        for (int round = 0; round < 2000; round++) {
            byte[] garbage = new byte[random.nextInt(200)];
            random.nextBytes(garbage);
            if (random.nextBoolean() && garbage.length >= 4) {
                garbage[0] = 0x25; garbage[1] = 0x60; garbage[2] = (byte) 0x95; garbage[3] = 0x13; // magic, rest random
            }
            NbdRequestDecoder decoder = new NbdRequestDecoder();
            ByteBuffer in = ByteBuffer.wrap(garbage);
            try {
                while (in.hasRemaining()) {
                    ByteBuffer piece = in.slice(in.position(), Math.min(in.remaining(), 1 + random.nextInt(40)));
                    in.position(in.position() + piece.limit());
                    while (piece.hasRemaining()) {
                        if (decoder.state() == NbdRequestDecoder.State.PAYLOAD) {
                            decoder.skipPayload(piece);
                        } else {
                            NbdRequest r = decoder.decodeHeader(piece);
                            if (r != null) {
                                assertThat(r.length()).isBetween(0L, 0xffffffffL);
                            }
                        }
                    }
                }
            } catch (NbdProtocolException e) {
                assertThat(e.code()).isEqualTo(NbdError.BAD_MAGIC);
                assertThat(decoder.state()).isEqualTo(NbdRequestDecoder.State.FAILED);
            }
        }
        byte[] valid = stream();
        for (int round = 0; round < 500; round++) {
            List<Integer> cuts = new ArrayList<>();
            for (int i = 1; i < valid.length; i++) {
                if (random.nextInt(5) == 0) {
                    cuts.add(i);
                }
            }
            assertThat(decode(valid, cuts).requests()).containsExactlyElementsOf(EXPECTED);
        }
    }
}
