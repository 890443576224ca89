package org.boomerang.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** A raw IOException under any wrapper becomes IO_FAILED naming what failed; anything already typed is left alone. */
class IoErrorTest {
    @Test
    void anIoExceptionAmongTheCausesBecomesAnExternalErrorNamingTheFile() {
        BoomerangException e = IoError.of(new IllegalStateException("wrapped", new UncheckedIOException(new NoSuchFileException("/var/lib/b/x.img"))))
                .orElseThrow();
        assertThat(e.code()).isEqualTo(IoError.IO_FAILED);
        assertThat(e.type()).isEqualTo(ErrorType.EXTERNAL);
        assertThat(e.getMessage()).isEqualTo("I/O failed: no such file or folder: /var/lib/b/x.img");
        assertThat(e.hint()).contains("retry");
        assertThat(IoError.of(new AccessDeniedException("/etc/b.key"), "reading the key").orElseThrow().getMessage())
                .isEqualTo("reading the key: I/O failed: permission denied: /etc/b.key");
        assertThat(IoError.of(new IOException("Connection reset by peer")).orElseThrow().getMessage())
                .isEqualTo("I/O failed: Connection reset by peer");
        assertThat(IoError.of(new IOException()).orElseThrow().getMessage()).isEqualTo("I/O failed: IOException");
    }

    @Test
    void typedErrorsAndOtherFailuresAreNotIoFailures() {
        BoomerangException typed = new BoomerangException(IoError.IO_FAILED, "m", "h", new IOException("x"));
        assertThat(IoError.of(new RuntimeException(typed))).isEmpty();
        assertThat(IoError.of(new IllegalStateException("a bug"))).isEmpty();
        assertThat(IoError.of(new NullPointerException())).isEmpty();
    }
}
