import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.common.DiskId;
import org.boomerang.dataplane.capture.CaptureOptions;
import org.boomerang.dataplane.capture.CapturedChange;
import org.boomerang.dataplane.capture.ChangeFeed;
import org.boomerang.dataplane.capture.InlineCapture;
import org.boomerang.nbd.server.NbdServer;

/**
 * bench/capture.sh runs this: serves IMAGE over NBD on PORT as export "d", either plainly ("plain") or
 * through inline capture ("capture", state in STATEDIR) with a receiver that takes every change at once
 * and acknowledges it as durable at once, so the figure is the capture's own cost on the write path
 * (dirty map, LSN ordering lock, queue copy), not the network's. It listens only once the initial copy
 * (a catch-up window over the whole image) is done. Prints "ready" once it listens.
 */
public final class CaptureServer {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path image = Path.of(args[1]);
        int port = Integer.parseInt(args[2]);
        try (RawFileBlockDevice local = RawFileBlockDevice.open(image, false)) {
            BlockDevice exported = local;
            InlineCapture capture = null;
            if (mode.equals("capture")) {
                capture = InlineCapture.open(new DiskId("d"), local, Path.of(args[3]), CaptureOptions.defaults());
                ChangeFeed feed = capture.feed();
                feed.resume(0);
                Thread receiver = new Thread(() -> {
                    try {
                        while (true) {
                            List<CapturedChange> batch = feed.poll(8 << 20, Duration.ofMillis(100));
                            if (!batch.isEmpty()) {
                                long lsn = batch.getLast().lsn();
                                feed.released(lsn);
                                feed.durableAtTarget(lsn);
                            }
                        }
                    } catch (Exception e) {
                        e.printStackTrace();
                    }
                }, "receiver");
                receiver.setDaemon(true);
                receiver.start();
                while (capture.status().windowOpen()) { // the initial copy first: measure streaming, not the copy
                    Thread.sleep(100);
                }
                exported = capture.device();
            }
            try (NbdServer server = NbdServer.builder().bind(InetAddress.getLoopbackAddress(), port).export("d", exported).build().start()) {
                System.out.println("ready");
                Thread.sleep(Long.MAX_VALUE);
            }
        }
    }
}
