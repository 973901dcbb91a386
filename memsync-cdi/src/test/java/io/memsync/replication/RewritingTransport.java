package io.memsync.replication;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A transport whose channels rewrite every frame they send: what another build of memsync would put on the wire. The
 * replica's handlers see the rewriting channels, as they see the ones they connected or accepted.
 */
final class RewritingTransport implements Transport {
    private final Transport inner;
    private final UnaryOperator<String> asClient;
    private final UnaryOperator<String> asHost;

    /**
     * @param inner    the transport that carries the frames
     * @param asClient rewrites the frames sent on connected channels (to a host)
     * @param asHost   rewrites the frames sent on accepted channels (to clients)
     */
    RewritingTransport(Transport inner, UnaryOperator<String> asClient, UnaryOperator<String> asHost) {
        this.inner = inner;
        this.asClient = asClient;
        this.asHost = asHost;
    }

    /** A transport that rewrites only what a client sends. */
    static Transport client(Transport inner, UnaryOperator<String> rewrite) {
        return new RewritingTransport(inner, rewrite, UnaryOperator.identity());
    }

    /** A transport that rewrites only what a host sends. */
    static Transport host(Transport inner, UnaryOperator<String> rewrite) {
        return new RewritingTransport(inner, UnaryOperator.identity(), rewrite);
    }

    @Override
    public Listener listen(String name, byte[] secret, Function<Channel, ChannelHandler> onAccept) throws IOException {
        return inner.listen(name, secret, ch -> {
            Channel outer = rewriting(ch, asHost);
            return forwarding(onAccept.apply(outer), outer);
        });
    }

    @Override
    public Channel connect(String endpoint, String name, byte[] secret, ChannelHandler handler, Duration timeout)
            throws IOException {
        Channel[] outer = new Channel[1];
        Channel ch = inner.connect(endpoint, name, secret, new ChannelHandler() {
            @Override
            public void onFrame(Channel channel, String frame) {
                handler.onFrame(outer[0], frame);
            }

            @Override
            public void onClose(Channel channel) {
                handler.onClose(outer[0]);
            }

            @Override
            public void onBatchEnd(Channel channel) {
                handler.onBatchEnd(outer[0]);
            }
        }, timeout);
        outer[0] = rewriting(ch, asClient);
        return outer[0];
    }

    /** A handler that passes the events of the inner channel on as events of {@code outer}. */
    private static ChannelHandler forwarding(ChannelHandler handler, Channel outer) {
        return new ChannelHandler() {
            @Override
            public void onFrame(Channel channel, String frame) {
                handler.onFrame(outer, frame);
            }

            @Override
            public void onClose(Channel channel) {
                handler.onClose(outer);
            }

            @Override
            public void onBatchEnd(Channel channel) {
                handler.onBatchEnd(outer);
            }
        };
    }

    private static Channel rewriting(Channel ch, UnaryOperator<String> rewrite) {
        return new Channel() {
            @Override
            public void send(String frame) {
                ch.send(rewrite.apply(frame));
            }

            @Override
            public void close() {
                ch.close();
            }

            @Override
            public boolean isOpen() {
                return ch.isOpen();
            }

            @Override
            public String remote() {
                return ch.remote();
            }

            @Override
            public boolean endsBatches() {
                return ch.endsBatches();
            }

            @Override
            public long backlogBytes() {
                return ch.backlogBytes();
            }

            @Override
            public int backlogFrames() {
                return ch.backlogFrames();
            }

            @Override
            public void abort() {
                ch.abort();
            }
        };
    }
}
