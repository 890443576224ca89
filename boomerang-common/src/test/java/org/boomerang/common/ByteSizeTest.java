package org.boomerang.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizeTest {
    @Test
    void parsesOperatorSizes() {
        assertThat(ByteSize.parse("4096")).isEqualTo(4096);
        assertThat(ByteSize.parse("64K")).isEqualTo(65536);
        assertThat(ByteSize.parse("2G")).isEqualTo(2L << 30);
        assertThat(ByteSize.parse("1MiB")).isEqualTo(1 << 20);
        assertThat(ByteSize.parse("3MB")).isEqualTo(3 << 20);
        assertThat(ByteSize.parse("512B")).isEqualTo(512);
    }

    @Test
    void refusesGarbageWithAHint() {
        assertThatThrownBy(() -> ByteSize.parse("lots")).hasMessageContaining("write e.g.");
        assertThatThrownBy(() -> ByteSize.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ByteSize.parse("99999999999P")).hasMessageContaining("out of range");
    }

    @Test
    void formatsBinaryUnits() {
        assertThat(ByteSize.format(512)).isEqualTo("512 B");
        assertThat(ByteSize.format(3L << 30)).isEqualTo("3.0 GiB");
    }
}
