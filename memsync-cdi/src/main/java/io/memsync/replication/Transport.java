package io.memsync.replication;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;

/**
 * How replicas reach each other. The replication state machines use only this interface, so they run the same
 * over WebSocket ({@code io.memsync.transport}) and over the in-memory test transport.
 *
 * <p>Both sides prove knowledge of the host's per-term secret before a channel is handed over (mutual
 * challenge–response); the secret itself never travels.
 */
public interface Transport {
    /**
     * Starts accepting connections. Each authenticated connection is given to {@code onAccept}, which returns
     * the handler for its frames.
     *
     * @param name     the shared object's name; connections asking for another name are refused
     * @param secret   the per-term secret clients must prove they know
     * @param onAccept called once per authenticated connection
     * @return the listener; its {@link Listener#endpoint()} is published for clients
     * @throws IOException when the listener cannot start
     */
    Listener listen(String name, byte[] secret, Function<Channel, ChannelHandler> onAccept) throws IOException;

    /**
     * Connects to a host and authenticates. Blocks at most {@code timeout}.
     *
     * @param endpoint the endpoint the host published
     * @param name     the shared object's name
     * @param secret   the per-term secret read from the rendezvous
     * @param handler  receives the channel's frames
     * @param timeout  how long to wait for connect and authentication
     * @return the open channel
     * @throws IOException when the host cannot be reached or authentication fails
     */
    Channel connect(String endpoint, String name, byte[] secret, ChannelHandler handler, Duration timeout) throws IOException;

    /** An open listener. */
    interface Listener extends AutoCloseable {
        /**
         * Where clients connect, e.g. {@code ws://127.0.0.1:40123/memsync}.
         *
         * @return endpoint
         */
        String endpoint();

        /**
         * Changes the secret new connections must prove (a new term gets a new secret).
         *
         * @param secret the new secret
         */
        void secret(byte[] secret);

        /** Stops accepting and closes every accepted channel. */
        @Override
        void close();
    }
}
