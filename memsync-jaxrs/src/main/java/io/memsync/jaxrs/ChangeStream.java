package io.memsync.jaxrs;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.memsync.MemSyncChange;
import io.memsync.PeerRole;
import io.memsync.SharedObject;
import io.memsync.Subscription;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * One Server-Sent Events stream of a shared object's changes.
 *
 * <p>The observer only queues (it must not wait on a slow client: observers of one shared object run one after the
 * other); a virtual thread writes the queue to the sink. The stream ends when the client goes away (a failed send
 * or keep-alive), when the shared object stops, or when the client falls {@value #MAX_QUEUED} changes behind.
 */
final class ChangeStream {
    static final int MAX_QUEUED = 10_000;
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final SharedObject<?> shared;
    private final SseEventSink sink;
    private final Sse sse;
    private final boolean withDocument;
    private final BlockingQueue<MemSyncChange> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
    private final AtomicBoolean overflow = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Subscription subscription;

    private ChangeStream(SharedObject<?> shared, SseEventSink sink, Sse sse, boolean withDocument) {
        this.shared = shared;
        this.sink = sink;
        this.sse = sse;
        this.withDocument = withDocument;
    }

    static void open(SharedObject<?> shared, SseEventSink sink, Sse sse, boolean withDocument) {
        ChangeStream stream = new ChangeStream(shared, sink, sse, withDocument);
        // observe first, then take the snapshot: no change falls between the two (some may be in both)
        stream.subscription = shared.observe("", stream::enqueue);
        Snapshot snapshot = Snapshot.of(shared);
        Thread.ofVirtual().name("memsync-sse-" + shared.name()).start(() -> stream.run(snapshot));
    }

    private void enqueue(MemSyncChange change) {
        if (!closed.get() && !queue.offer(change)) {
            overflow.set(true);
        }
    }

    private void run(Snapshot snapshot) {
        try {
            if (!send(event("snapshot", snapshot.version(), Json.createObjectBuilder()
                    .add("version", snapshot.version())
                    .add("term", snapshot.term())
                    .add("document", snapshot.document())))) {
                return;
            }
            while (!closed.get() && !sink.isClosed()) {
                if (overflow.get()) {
                    send(event("overflow", -1, Json.createObjectBuilder().add("message", "the client fell more than "
                            + MAX_QUEUED + " changes behind; read the document and subscribe again")));
                    return;
                }
                MemSyncChange change = queue.poll(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
                if (change == null) {
                    if (shared.status().role() == PeerRole.STOPPED
                            || !send(sse.newEventBuilder().comment("keep-alive").build())) {
                        return;
                    }
                    continue;
                }
                JsonObjectBuilder data = Json.createObjectBuilder()
                        .add("version", change.version())
                        .add("term", change.term())
                        .add("state", change.state().name())
                        .add("origin", change.origin().name())
                        .add("effect", change.effect());
                if (withDocument) {
                    data.add("document", change.value());
                }
                if (!send(event("change", change.version(), data))) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
    }

    private OutboundSseEvent event(String name, long id, JsonObjectBuilder data) {
        OutboundSseEvent.Builder b = sse.newEventBuilder()
                .name(name)
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(String.class, data.build().toString());
        if (id >= 0) {
            b.id(Long.toString(id));
        }
        return b.build();
    }

    /** Sends one event and waits for it to be written; {@code false} when the client is gone. */
    private boolean send(OutboundSseEvent event) {
        if (sink.isClosed()) {
            return false;
        }
        try {
            sink.send(event).toCompletableFuture().join();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Subscription s = subscription;
        if (s != null) {
            s.close();
        }
        queue.clear();
        try {
            sink.close();
        } catch (RuntimeException ignored) {
            // already closed by the client or the container
        }
    }
}
