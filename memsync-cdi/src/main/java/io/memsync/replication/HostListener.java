package io.memsync.replication;

import java.io.IOException;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The listener a host accepts its clients on. It is started in the background while this process is still a client,
 * with a secret nobody knows, so that taking over after a failover does not pay for starting a server; each term
 * gives it a new secret (published only in the host record), a host that stops hosting revokes it, and a stop closes
 * it off the lock. Guarded by the replica's lock, except the hand-over of the pre-started listener.
 */
final class HostListener {
    private static final System.Logger LOG = System.getLogger(Replica.class.getName());

    private final Replica replica;
    private final ReplicaOptions options;
    private final ReplicaEnvironment env;
    private final Transport transport;
    private final Function<Channel, ChannelHandler> onAccept;
    private Transport.Listener handle;
    private volatile CompletableFuture<Transport.Listener> prestarted;
    private String secretB64;

    HostListener(Replica replica, ReplicaOptions options, ReplicaEnvironment env, Transport transport,
                 Function<Channel, ChannelHandler> onAccept) {
        this.replica = replica;
        this.options = options;
        this.env = env;
        this.transport = transport;
        this.onAccept = onAccept;
    }

    /**
     * Starts this process's listener in the background once it joined as a client, with a secret nobody knows, so that
     * taking over as host after a failover does not pay for starting a server (the first WebServer of a JVM takes
     * a second or more).
     */
    void prestart() {
        if (handle != null || prestarted != null) {
            return; // listening already, or starting (a replica welcomed again after a reconnection)
        }
        CompletableFuture<Transport.Listener> future = new CompletableFuture<>();
        prestarted = future;
        env.spawn("memsync-prestart-" + options.name(), () -> {
            try {
                prestartOn(future);
            } finally {
                future.complete(null); // whatever failed (an Error too): a host waiting for it starts its own
            }
        });
    }

    /** Starts and warms the standby listener, then offers it to the replica (this start's only: {@code future}). */
    private void prestartOn(CompletableFuture<Transport.Listener> future) {
        Transport.Listener l;
        byte[] secret = randomSecret();
        try {
            l = transport.listen(options.name(), secret, onAccept);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": no pre-started listener: " + e);
            return;
        }
        // one authenticated connection to ourselves loads and warms the accepting side's code now, not during
        // a failover (the first accepted connection of a JVM costs tens of milliseconds); the listener is handed
        // over only after it, since a host that adopts it changes its secret and would refuse this connection
        try {
            transport.connect(l.endpoint(), options.name(), secret, new ChannelHandler() {
                @Override
                public void onFrame(Channel channel, String frame) {
                }

                @Override
                public void onClose(Channel channel) {
                }
            }, HostSearch.connectTimeout(options)).close();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": listener warm-up failed: " + e);
        }
        future.complete(l);
        if (!replica.loop.post(() -> {
            // only the run that started it adopts it: a stop closes it (close() waits on this future), and a
            // replica started again has a prestart of its own
            if (handle == null && prestarted == future && replica.role() != ReplicaStatus.Role.STOPPED) {
                handle = l;
            } else if (handle != l) {
                env.spawn("memsync-listener-close", l::close); // off the lock
            }
        })) {
            l.close();
        }
    }

    private byte[] randomSecret() {
        byte[] secret = new byte[32];
        env.random().nextBytes(secret);
        return secret;
    }

    /**
     * A new term: listens with a new secret, on the pre-started listener when it is ready, else on a new one.
     *
     * @throws IOException when no listener could be started
     */
    void listen() throws IOException {
        byte[] secret = randomSecret();
        if (handle == null && prestarted != null) {
            // the listener being pre-started is as fast to wait for as a new one is to start
            try {
                handle = prestarted.get(HostSearch.connectTimeout(options).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": pre-started listener not ready: " + e);
            }
        }
        if (handle != null) {
            handle.secret(secret);
        } else {
            handle = transport.listen(options.name(), secret, onAccept);
        }
        secretB64 = Base64.getEncoder().encodeToString(secret);
    }

    /** @return where clients connect */
    String endpoint() {
        return handle.endpoint();
    }

    /** @return this term's secret, in Base64 (for the host record only) */
    String secret() {
        return secretB64;
    }

    /** Hosting ended: the listener is kept for a later term, but nobody may authenticate with the old secret. */
    void revokeSecret() {
        if (handle != null) {
            handle.secret(randomSecret());
        }
    }

    /** Stop: closes this session's listeners, off the lock (stopping a server waits for its connection threads). */
    void close() {
        if (handle != null) {
            // closed off the lock: stopping the server waits for its connection threads, which may be waiting for
            // the lock to deliver a last frame (they find the replica stopped and return)
            Transport.Listener l = handle;
            handle = null;
            env.spawn("memsync-listener-close", l::close);
        }
        if (prestarted != null) {
            // this session's listener, whether adopted or not (close is idempotent); off the lock, as above
            prestarted.thenAccept(l -> {
                if (l != null) {
                    env.spawn("memsync-listener-close", l::close);
                }
            });
            prestarted = null;
        }
    }
}
