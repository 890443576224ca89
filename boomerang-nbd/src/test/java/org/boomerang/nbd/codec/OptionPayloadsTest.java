package org.boomerang.nbd.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionPayloadsTest {
    private static ByteBuffer hex(String s) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(s));
    }

    @Test
    void parsesInfoRequest() throws Exception {
        OptionPayloads.InfoRequest r = OptionPayloads.info(hex("00000001" + "64" + "0002" + "0001" + "0003"));
        assertThat(r.exportName()).isEqualTo("d");
        assertThat(r.infoTypes()).containsExactly(1, 3);
    }

    @Test
    void parsesMetaContextRequest() throws Exception {
        OptionPayloads.MetaContextRequest r = OptionPayloads.metaContext(hex("00000000" + "00000001" + "00000005" + "626173653a"));
        assertThat(r.exportName()).isEmpty();
        assertThat(r.queries()).isEqualTo(List.of("base:"));
    }

    @Test
    void refusesMalformedPayloads() {
        for (String bad : List.of("", "0000", "00000005" + "64", "00000001" + "64" + "0002" + "0001",
                "00000001" + "64" + "0001" + "0001" + "ff", "ffffffff" + "64", "00000001" + "00" + "0000",
                "00000001" + "ff" + "0000")) {
            assertThatThrownBy(() -> OptionPayloads.info(hex(bad))).as(bad).isInstanceOf(MalformedOptionException.class);
        }
        for (String bad : List.of("00000000" + "00000002" + "00000001" + "61", "00000000" + "7fffffff",
                "00000000" + "00000000" + "aa")) {
            assertThatThrownBy(() -> OptionPayloads.metaContext(hex(bad))).as(bad).isInstanceOf(MalformedOptionException.class);
        }
    }
}
