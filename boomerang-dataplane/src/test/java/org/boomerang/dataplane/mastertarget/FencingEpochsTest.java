package org.boomerang.dataplane.mastertarget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.boomerang.common.BoomerangException;
import org.boomerang.dataplane.roles.RoleError;
import org.boomerang.stream.StreamError;
import org.boomerang.stream.StreamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fencing epoch file: golden bytes, raise and admit, persistence, and a damaged file refused. */
class FencingEpochsTest {
    @TempDir
    Path dir;

    @Test
    void raisesDurablyAndWritesTheDocumentedBytes() throws Exception {
        FencingEpochs e = new FencingEpochs(dir);
        assertThat(e.epoch("d")).isZero();
        assertThat(e.raise("d", 5)).isEqualTo(5);
        assertThat(e.raise("d", 3)).as("never lowered").isEqualTo(5);
        byte[] bytes = Files.readAllBytes(dir.resolve("fencing").resolve("d"));
        assertThat(HexFormat.of().formatHex(bytes, 0, 16)).isEqualTo("424d4645" + "00000001" + "0000000000000005");
        assertThat(bytes).hasSize(20);
        assertThat(new FencingEpochs(dir).epoch("d")).as("read back by a new instance").isEqualTo(5);
    }

    @Test
    void admitsAtOrAboveTheEpochRaisesToAHigherOneAndRefusesALowerOne() throws Exception {
        FencingEpochs e = new FencingEpochs(dir);
        e.admit("d", 0, "old");
        e.raise("d", 2);
        e.admit("d", 2, "same");
        e.admit("d", 4, "newer");
        assertThat(e.epoch("d")).isEqualTo(4);
        assertThatThrownBy(() -> e.admit("d", 3, "agent-a@host")).isInstanceOfSatisfying(StreamException.class, x -> {
            assertThat(x.code()).isEqualTo(StreamError.FENCED);
            assertThat(x.receiverEpoch()).isEqualTo(4);
            assertThat(x.getMessage()).contains("agent-a@host").contains("epoch 3").contains("at 4");
            assertThat(x.hint()).contains("dirty map");
        });
    }

    @Test
    void aDamagedFileIsRefusedNotGuessed() throws Exception {
        new FencingEpochs(dir).raise("d", 9);
        Path f = dir.resolve("fencing").resolve("d");
        byte[] bytes = Files.readAllBytes(f);
        bytes[15] ^= 1;
        Files.write(f, bytes);
        assertThatThrownBy(() -> new FencingEpochs(dir).epoch("d")).isInstanceOfSatisfying(BoomerangException.class,
                x -> assertThat(x.code()).isEqualTo(RoleError.FENCING_STATE_DAMAGED));
        Files.write(f, ByteBuffer.allocate(4).putInt(1).array());
        assertThatThrownBy(() -> new FencingEpochs(dir).epoch("d")).isInstanceOfSatisfying(BoomerangException.class,
                x -> assertThat(x.code()).isEqualTo(RoleError.FENCING_STATE_DAMAGED));
    }
}
