package org.boomerang.nbd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.boomerang.common.DiskId;
import org.boomerang.journal.JournalIdentity;
import org.boomerang.journal.JournalOptions;
import org.boomerang.journal.JournalingBlockDevice;
import org.boomerang.journal.SegmentedJournal;
import org.boomerang.nbd.client.NbdClient;
import org.boomerang.nbd.client.NbdClientException;
import org.boomerang.nbd.client.NbdUri;
import org.boomerang.nbd.protocol.NbdProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journaling export whose journal fails: the NBD client gets an error reply with EIO for each request
 * (the connection stays up), and the server's log names the journal's error code.
 */
class JournalFailureOverNbdTest {
    private static final int SIZE = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void aJournalFailureIsAnEioReplyNamingTheJournalError() throws Exception {
        SegmentedJournal journal = SegmentedJournal.create(dir.resolve("j"),
                JournalIdentity.create(new DiskId("failing"), SIZE, 512), JournalOptions.defaults());
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(CommandExecutor.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try (JournalingBlockDevice recorded = new JournalingBlockDevice(journal);
                NbdServer server = NbdServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
                        .export("d", recorded).build().start();
                NbdClient client = NbdClient.connect(NbdUri.parse("nbd://127.0.0.1:" + server.port() + "/d"))) {
            client.write(0, ByteBuffer.wrap(new byte[4096]), true).get(1, TimeUnit.MINUTES);
            journal.close(); // the journal fails under the export: every append is refused with CLOSED
            for (var failed : java.util.List.of(client.write(4096, ByteBuffer.wrap(new byte[4096]), false),
                    client.trim(8192, 4096), client.writeZeroes(0, 512, false, true))) {
                assertThatThrownBy(() -> failed.get(1, TimeUnit.MINUTES)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOfSatisfying(NbdClientException.class,
                                e -> assertThat(e.getMessage()).contains("errno " + NbdProtocol.EIO));
            }
        } finally {
            logger.detachAppender(logged);
        }
        assertThat(logged.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .filteredOn(m -> m.contains("(errno " + NbdProtocol.EIO + "): journal CLOSED: "))
                .hasSize(3);
    }
}
