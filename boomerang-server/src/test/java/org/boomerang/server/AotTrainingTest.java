package org.boomerang.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The launcher's training runs complete (no command of theirs fails with a bug) and leave nothing behind. */
class AotTrainingTest {
    @Test
    void bothKindsRunToTheEndAndDeleteTheirScratchImages() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = scratchDirs(tmp);
        assertThat(AotTraining.run("data")).isZero();
        assertThat(AotTraining.run("control")).isZero();
        assertThat(scratchDirs(tmp)).isEqualTo(before);
        assertThatThrownBy(() -> AotTraining.run("everything")).isInstanceOf(IllegalArgumentException.class);
    }

    private static long scratchDirs(Path tmp) throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("boomerang-aot-training")).count();
        }
    }
}
