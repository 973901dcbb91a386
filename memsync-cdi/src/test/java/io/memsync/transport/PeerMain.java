package io.memsync.transport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.memsync.replication.Channel;
import io.memsync.replication.ChannelHandler;

/**
 * Child-process helper for the kill -9 tests. {@code host <name> <secret>} listens and prints
 * {@code ENDPOINT <url>}, then {@code ACCEPTED} per connection; {@code client <endpoint> <name> <secret>} connects
 * and prints {@code CONNECTED}. Both then wait until killed.
 */
public final class PeerMain {
    private PeerMain() {
    }

    /**
     * Entry point.
     *
     * @param args see class doc
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        WebSocketTransport t = new WebSocketTransport();
        ChannelHandler quiet = new ChannelHandler() {
            @Override
            public void onFrame(Channel channel, String frame) {
                channel.send(frame);
            }

            @Override
            public void onClose(Channel channel) {
                System.out.println("CLOSED");
                System.out.flush();
            }
        };
        if (args[0].equals("host")) {
            var l = t.listen(args[1], args[2].getBytes(StandardCharsets.UTF_8), ch -> {
                System.out.println("ACCEPTED");
                System.out.flush();
                return quiet;
            });
            System.out.println("ENDPOINT " + l.endpoint());
            System.out.flush();
        } else {
            t.connect(args[1], args[2], args[3].getBytes(StandardCharsets.UTF_8), quiet, Duration.ofSeconds(10));
            System.out.println("CONNECTED");
            System.out.flush();
        }
        new java.util.concurrent.CountDownLatch(1).await(); // until the test kills this process
    }
}
