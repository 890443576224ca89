package org.boomerang.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.boomerang.nbd.codec.NbdProtocolException;
import org.boomerang.nbd.protocol.NbdProtocol;
import org.boomerang.nbd.server.NbdServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class NbdCommandTest {
    @TempDir
    Path dir;

    @Test
    void parsesExportSpecs() {
        assertThat(NbdCommand.ExportSpec.parse("d=disk.img")).isEqualTo(new NbdCommand.ExportSpec("d", Path.of("disk.img"), false));
        assertThat(NbdCommand.ExportSpec.parse("r=/x/y.img:ro")).isEqualTo(new NbdCommand.ExportSpec("r", Path.of("/x/y.img"), true));
        assertThat(NbdCommand.ExportSpec.parse("a=b=c")).isEqualTo(new NbdCommand.ExportSpec("a", Path.of("b=c"), false));
        for (String bad : List.of("disk.img", "=disk.img", "d=")) {
            assertThatThrownBy(() -> NbdCommand.ExportSpec.parse(bad)).isInstanceOf(NbdProtocolException.class)
                    .hasMessageContaining("NAME=FILE[:ro]");
        }
    }

    @Test
    void servesTheFilesItIsGiven() throws Exception {
        Path image = dir.resolve("d.img");
        Files.write(image, new byte[1 << 20]);
        try (NbdCommand.Serving serving = NbdCommand.Serving.start(List.of(NbdCommand.ExportSpec.parse("d=" + image)),
                NbdServer.builder().bind(InetAddress.getLoopbackAddress(), 0));
             SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", serving.server().port()))) {
            ByteBuffer greeting = ByteBuffer.allocate(16);
            while (greeting.hasRemaining() && ch.read(greeting) >= 0) {
                // read the whole greeting
            }
            assertThat(greeting.flip().getLong()).isEqualTo(NbdProtocol.NBDMAGIC);
            assertThat(greeting.getLong()).isEqualTo(NbdProtocol.IHAVEOPT);
        }
    }

    @Test
    void aMissingImageIsANotFoundErrorWithAHint() {
        StringWriter err = new StringWriter();
        CommandLine cli = CommandLines.create(new BoomerangCommand());
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("nbd", "serve", "--export", "d=" + dir.resolve("missing.img"), "--port", "0");
        assertThat(code).isEqualTo(4);
        assertThat(err.toString()).contains("error: NOT_FOUND: no such image file").contains("truncate -s");
    }

    @Test
    void aBadExportSpecIsAUserError() {
        StringWriter err = new StringWriter();
        CommandLine cli = CommandLines.create(new BoomerangCommand());
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("nbd", "serve", "--export", "nofile", "--port", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("BAD_EXPORT_SPEC");
    }

    @Test
    void aTcpCongestionTheKernelLacksOrAMalformedOneIsAUserErrorThatSaysWhatToGive() throws Exception {
        Path image = dir.resolve("d.img");
        Files.write(image, new byte[1 << 20]);
        for (String bad : new String[] {"no_such_cc", "Not-A-Name"}) {
            StringWriter err = new StringWriter();
            CommandLine cli = CommandLines.create(new BoomerangCommand());
            cli.setErr(new PrintWriter(err));
            assertThat(cli.execute("nbd", "serve", "--export", "d=" + image, "--port", "0", "--tcp-congestion", bad)).as(bad).isEqualTo(2);
            assertThat(err.toString()).as(bad).contains("TCP_CONGESTION").contains(bad).contains("system");
        }
    }

    @Test
    void helpDescribesServe() {
        StringWriter out = new StringWriter();
        CommandLine cli = CommandLines.create(new BoomerangCommand());
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("nbd", "serve", "--help")).isZero();
        assertThat(out.toString()).contains("--export=NAME=FILE[:ro]").contains("--bind").contains("10809")
                .contains("--tcp-congestion").contains("cubic");
    }
}
