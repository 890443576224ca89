package org.boomerang.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheFileAndLeavesNoTemporary() throws IOException {
        Path file = dir.resolve("sub/meta");
        AtomicFile.write(file, bytes("one"));
        AtomicFile.write(file, out -> out.write("two".getBytes(StandardCharsets.UTF_8)));
        assertThat(Files.readString(file)).isEqualTo("two");
        assertThat(Files.exists(dir.resolve("sub/meta" + AtomicFile.TMP_SUFFIX))).isFalse();
    }

    @Test
    void refusesAFileSystemWithoutAtomicMovesAndKeepsTheOldContent() throws IOException {
        Path file = dir.resolve("meta");
        AtomicFile.write(file, bytes("old"));
        assertThatThrownBy(() -> AtomicFile.write(file, null, out -> out.write('x'), (from, to) -> {
            throw new AtomicMoveNotSupportedException(from.toString(), to.toString(), "no atomic rename here");
        })).isInstanceOf(AtomicMoveNotSupportedException.class)
                .hasMessageContaining("cannot rename atomically").hasMessageContaining("ext4");
        assertThat(Files.readString(file)).isEqualTo("old");
        assertThat(Files.exists(dir.resolve("meta" + AtomicFile.TMP_SUFFIX))).isFalse();
    }

    @Test
    void aFailingWriterLeavesTheOldContent() throws IOException {
        Path file = dir.resolve("meta");
        AtomicFile.write(file, bytes("old"));
        assertThatThrownBy(() -> AtomicFile.write(file, out -> {
            out.write('x');
            throw new IllegalStateException("source failed");
        })).hasMessage("source failed");
        assertThat(Files.readString(file)).isEqualTo("old");
        assertThat(Files.exists(dir.resolve("meta" + AtomicFile.TMP_SUFFIX))).isFalse();
    }

    @Test
    void checkedContentRoundTripsAndDamageIsDetected() throws IOException {
        Path file = dir.resolve("stamp");
        AtomicFile.writeChecked(file, bytes("identity"));
        assertThat(StandardCharsets.UTF_8.decode(AtomicFile.readChecked(file)).toString()).isEqualTo("identity");
        byte[] raw = Files.readAllBytes(file);
        raw[2] ^= 1;
        Files.write(file, raw);
        assertThat(AtomicFile.readChecked(file)).isNull();
        Files.write(file, new byte[] {1, 2});
        assertThat(AtomicFile.readChecked(file)).isNull();
    }

    @Test
    void ownerOnlyPermissionsAreSetBeforeTheContent() throws IOException {
        Path file = dir.resolve("secret");
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        AtomicFile.write(file, ownerOnly, out -> out.write('s'));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(ownerOnly);
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
