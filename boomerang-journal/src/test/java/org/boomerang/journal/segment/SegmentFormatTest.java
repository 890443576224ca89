package org.boomerang.journal.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.boomerang.common.Lsn;
import org.boomerang.common.MarkerKind;
import org.boomerang.journal.Marker;
import org.boomerang.journal.RecordKind;
import org.junit.jupiter.api.Test;

/**
 * Version-1 compatibility: the bytes of each record kind are pinned as golden hex, so a change to the
 * encoder that would make old segments unreadable fails here (BookKeeper's {@code TestDirectEntryLoggerCompat}).
 */
class SegmentFormatTest {
    private static final UUID GENERATION = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
    private static final HexFormat HEX = HexFormat.of();

    private static String hex(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return HEX.formatHex(bytes);
    }

    @Test
    void headerVersion1() {
        ByteBuffer h = SegmentFormat.encodeHeader(Lsn.of(42), GENERATION);
        assertThat(h.remaining()).isEqualTo(SegmentFormat.HEADER_SIZE);
        assertThat(hex(h).substring(0, 72)).isEqualTo(
                "424d52474a534547" + "00000001" + "000000000000002a" + "0011223344556677" + "8899aabbccddeeff");
        assertThat(hex(h)).isEqualTo(GOLDEN_HEADER);
        SegmentFormat.Header parsed = SegmentFormat.decodeHeader(ByteBuffer.wrap(HEX.parseHex(GOLDEN_HEADER)));
        assertThat(parsed).isEqualTo(new SegmentFormat.Header(Lsn.of(42), GENERATION));
        byte[] damaged = HEX.parseHex(GOLDEN_HEADER);
        damaged[13] ^= 1;
        assertThat(SegmentFormat.decodeHeader(ByteBuffer.wrap(damaged))).isNull();
    }

    @Test
    void recordsVersion1() {
        ByteBuffer payload = ByteBuffer.wrap(new byte[] {1, 2, 3, 4});
        ByteBuffer write = SegmentFormat.encodeWriteHeader(7, 4096, payload);
        assertThat(hex(write) + hex(payload)).isEqualTo(GOLDEN_WRITE);
        assertThat(hex(SegmentFormat.encodeRange(RecordKind.TRIM, 8, 8192, 512))).isEqualTo(GOLDEN_TRIM);
        assertThat(hex(SegmentFormat.encodeRange(RecordKind.ZERO, 9, 0, 1))).isEqualTo(GOLDEN_ZERO);
        Marker marker = new Marker(MarkerKind.APP, "p1", Instant.ofEpochMilli(1_700_000_000_000L), "g", "t");
        ByteBuffer m = SegmentFormat.encodeMarker(10, marker);
        assertThat(hex(m)).isEqualTo(GOLDEN_MARKER);
        assertThat(SegmentFormat.decodeMarker(m.slice(SegmentFormat.RECORD_HEADER_SIZE, m.remaining() - SegmentFormat.RECORD_HEADER_SIZE)))
                .isEqualTo(marker);
    }

    // Golden bytes of version 1. Never change them: a new format gets a new version and new constants.
    // The checksums were cross-checked with an independent bitwise CRC32C (polynomial 0x82F63B78).
    private static final String GOLDEN_HEADER =
            "424d52474a53454700000001000000000000002a00112233445566778899aabbccddeeff" + "cf2e1b20";
    private static final String GOLDEN_WRITE =
            "2ee08c71" + "01" + "000000" + "0000000000000007" + "0000000c" + "0000000000001000" + "01020304";
    private static final String GOLDEN_TRIM =
            "4c5dfab6" + "02" + "000000" + "0000000000000008" + "00000010" + "0000000000002000" + "0000000000000200";
    private static final String GOLDEN_ZERO =
            "b7583eb4" + "03" + "000000" + "0000000000000009" + "00000010" + "0000000000000000" + "0000000000000001";
    private static final String GOLDEN_MARKER = "b7611234" + "04" + "000000" + "000000000000000a" + "00000013"
            + "02" + "0000018bcfe56800" + "0002" + "7031" + "0001" + "67" + "0001" + "74";
}
