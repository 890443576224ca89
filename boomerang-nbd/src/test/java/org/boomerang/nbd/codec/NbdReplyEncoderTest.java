package org.boomerang.nbd.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import org.boomerang.nbd.protocol.NbdProtocol;
import org.junit.jupiter.api.Test;

class NbdReplyEncoderTest {
    private static final HexFormat HEX = HexFormat.of();

    private static String encode(java.util.function.Consumer<ByteBuffer> writer) {
        ByteBuffer out = ByteBuffer.allocate(512);
        writer.accept(out);
        return HEX.formatHex(Arrays.copyOf(out.array(), out.position()));
    }

    @Test
    void simpleReply() {
        assertThat(encode(b -> NbdReplyEncoder.simple(b, 0x0102030405060708L, NbdProtocol.EINVAL)))
                .isEqualTo("67446698" + "00000016" + "0102030405060708");
    }

    @Test
    void offsetDataHeaderCountsTheOffsetInTheLength() {
        assertThat(encode(b -> NbdReplyEncoder.offsetDataHeader(b, true, 7, 0x200, 0x1000)))
                .isEqualTo("668e33ef" + "0001" + "0001" + "0000000000000007" + "00001008" + "0000000000000200");
    }

    @Test
    void offsetHole() {
        assertThat(encode(b -> NbdReplyEncoder.offsetHole(b, false, 7, 0x400, 0x10000)))
                .isEqualTo("668e33ef" + "0000" + "0002" + "0000000000000007" + "0000000c" + "0000000000000400" + "00010000");
        assertThat(NbdReplyEncoder.OFFSET_HOLE_SIZE).isEqualTo(32);
    }

    @Test
    void noneAndError() {
        assertThat(encode(b -> NbdReplyEncoder.none(b, 3)))
                .isEqualTo("668e33ef" + "0001" + "0000" + "0000000000000003" + "00000000");
        assertThat(encode(b -> NbdReplyEncoder.error(b, 3, NbdProtocol.EPERM, "ro")))
                .isEqualTo("668e33ef" + "0001" + "8001" + "0000000000000003" + "00000008" + "00000001" + "0002" + "726f");
        assertThat(NbdReplyEncoder.errorSize("ro")).isEqualTo(28);
    }

    @Test
    void errorMessagesAreCut() {
        ByteBuffer out = ByteBuffer.allocate(1024);
        NbdReplyEncoder.error(out, 1, NbdProtocol.EIO, "x".repeat(1000));
        assertThat(out.position()).isEqualTo(NbdReplyEncoder.errorSize("x".repeat(1000)))
                .isEqualTo(20 + 6 + NbdReplyEncoder.MAX_ERROR_MESSAGE);
    }

    @Test
    void blockStatus() {
        assertThat(encode(b -> {
            NbdReplyEncoder.blockStatusHeader(b, true, 5, 1, 2);
            NbdReplyEncoder.blockDescriptor(b, 0x1000, 0);
            NbdReplyEncoder.blockDescriptor(b, 0x2000, NbdProtocol.STATE_HOLE | NbdProtocol.STATE_ZERO);
        })).isEqualTo("668e33ef" + "0001" + "0005" + "0000000000000005" + "00000014" + "00000001"
                + "00001000" + "00000000" + "00002000" + "00000003");
    }
}
