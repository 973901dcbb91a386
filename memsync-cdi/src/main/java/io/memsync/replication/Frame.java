package io.memsync.replication;

import java.util.List;
import java.util.Objects;

import io.memsync.Precondition;
import io.memsync.Update;
import jakarta.json.JsonArray;
import jakarta.json.JsonValue;

/**
 * One message of the replication protocol between a client and its host. Every frame on the wire is one of these
 * records, and only {@link FrameCodec} turns them into text and back (its javadoc gives the wire form of each).
 *
 * <p>{@link ToHost} marks what a client sends to the host, {@link ToClient} what the host sends to a client; a frame
 * used both ways (ping, pong, event, call, result, snapshot chunk, error report) is both. Records compare by value;
 * lists are immutable copies.
 */
sealed interface Frame {

    /** A frame a client sends to its host. */
    sealed interface ToHost extends Frame {
    }

    /** A frame the host sends to a client. */
    sealed interface ToClient extends Frame {
    }

    // ---------------------------------------------------------------------------------------------------------
    // client -> host
    // ---------------------------------------------------------------------------------------------------------

    /**
     * The first frame of a client on a new connection: who it is and what it holds. The protocol version travels in
     * the encoding (see {@link FrameCodec#PROTOCOL_VERSION}), not here: a hello of another version does not decode.
     *
     * @param peerId           the client's peer id (random per {@code start()})
     * @param pid              its process id
     * @param processStartTime its process start time (with {@code pid}, identifies the process for liveness checks)
     * @param writer           whether it may write
     * @param maxWriters       the writer cap it was configured with
     * @param hasDocument      whether it holds a document (then {@code lastTerm}/{@code lastVersion} are its position)
     * @param lastTerm         term of its last applied entry
     * @param lastVersion      version of its last applied entry
     * @param pendingCount     how many of its updates are pending (informational; the patches follow the hello)
     * @param rpcMethods       the RPC methods it serves
     */
    record Hello(String peerId, long pid, long processStartTime, boolean writer, int maxWriters, boolean hasDocument,
                 long lastTerm, long lastVersion, int pendingCount, List<String> rpcMethods) implements ToHost {
        /** Checks for nulls and copies the method names. */
        public Hello {
            Objects.requireNonNull(peerId, "peerId");
            rpcMethods = List.copyOf(rpcMethods);
        }
    }

    /**
     * An update of the sending client for the host to order. The sender's peer id is the connection's (from its
     * hello), so it does not travel.
     *
     * @param seq          the client's sequence number of this update
     * @param baseVersion  the client's confirmed version when it made the update
     * @param hlc          the hybrid logical clock reading of the update
     * @param update       the update
     * @param precondition a precondition the host checks, or {@code null}
     */
    record Patch(long seq, long baseVersion, long hlc, Update update, Precondition precondition) implements ToHost {
        /** Checks that there is an update. */
        public Patch {
            Objects.requireNonNull(update, "update");
        }

        /**
         * Equal when every field is, the update compared by its kind and JSON form (a decoded update is not the
         * same class as a fluently built one).
         *
         * @param o the other object
         * @return whether they are equal
         */
        @Override
        public boolean equals(Object o) {
            return o instanceof Patch p && p.seq == seq && p.baseVersion == baseVersion && p.hlc == hlc
                    && p.update.kind() == update.kind() && p.update.json().equals(update.json())
                    && Objects.equals(p.precondition, precondition);
        }

        /**
         * A hash consistent with {@link #equals}.
         *
         * @return the hash code
         */
        @Override
        public int hashCode() {
            return Objects.hash(seq, baseVersion, hlc, update.kind(), update.json(), precondition);
        }
    }

    /**
     * The client's confirmed version (sent on each heartbeat and when asked by {@link Sync}), so the host can compact
     * its log and knows when a handover may complete; and how many of its own updates still await their outcome, which
     * the host passes on to every member with the next {@link Heartbeat} (for {@code status()}).
     *
     * @param version the highest version the client applied
     * @param pending how many of the client's updates are pending (submitted, their entry not applied there yet), or
     *                {@code -1} when not reported (a client from before the report)
     */
    record Ack(long version, int pending) implements ToHost {
        /**
         * An acknowledgement without a pending count.
         *
         * @param version the highest version the client applied
         */
        Ack(long version) {
            this(version, -1);
        }
    }

    /** The client leaves for good (it called {@code stop()}): the host forgets it at once. */
    record Bye() implements ToHost {
    }

    /**
     * The answer to a {@link Pull} when the logs agree at the position the new host named: the entries after it.
     *
     * @param entries the entries after the host's position, in order
     */
    record Tail(List<Entry> entries) implements ToHost {
        /** Copies the entries. */
        public Tail {
            entries = List.copyOf(entries);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // both ways
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Asks the other side for a {@link Pong} with the same id (round-trip measurement).
     *
     * @param id the ping's id, chosen by the sender
     */
    record Ping(long id) implements ToHost, ToClient {
    }

    /**
     * The answer to a {@link Ping}.
     *
     * @param id the id of the ping answered
     */
    record Pong(long id) implements ToHost, ToClient {
    }

    /**
     * An application event, to be delivered to every process. A client sends its own peer id as {@code from}; the
     * host relays the event with the sender's peer id from its connection.
     *
     * @param name    the event name
     * @param payload the payload ({@link JsonValue#NULL} for none)
     * @param from    the peer id of the emitting process
     */
    record Event(String name, JsonValue payload, String from) implements ToHost, ToClient {
        /** Checks for nulls. */
        public Event {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(from, "from");
        }
    }

    /**
     * An RPC call: from a client to the host (which serves it or relays it), or from the host to a client that
     * serves the method.
     *
     * @param id     the call's id, chosen by the sender and echoed in the {@link Result}
     * @param method the RPC method
     * @param args   the arguments
     */
    record Call(long id, String method, JsonArray args) implements ToHost, ToClient {
        /** Checks for nulls. */
        public Call {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(args, "args");
        }
    }

    /**
     * The outcome of a {@link Call}: a value, or a failure with a {@code MemSyncException} code.
     *
     * @param id      the id of the call answered
     * @param value   the result ({@link JsonValue#NULL} for none; {@code null} exactly when the call failed)
     * @param code    the failure code, or {@code null} when the call succeeded
     * @param message the failure message ({@code ""} when the call succeeded)
     */
    record Result(long id, JsonValue value, String code, String message) implements ToHost, ToClient {
        /** Checks that exactly one of value and code is given; a missing message becomes {@code ""}. */
        public Result {
            if ((value == null) == (code == null)) {
                throw new IllegalArgumentException("a result has either a value or a failure code");
            }
            message = message == null ? "" : message;
        }

        /**
         * A successful result.
         *
         * @param id    the call's id
         * @param value the value, {@code null} meaning {@link JsonValue#NULL}
         * @return the result
         */
        static Result success(long id, JsonValue value) {
            return new Result(id, value == null ? JsonValue.NULL : value, null, "");
        }

        /**
         * A failed result.
         *
         * @param id      the call's id
         * @param code    the {@code MemSyncException} code
         * @param message what went wrong
         * @return the result
         */
        static Result failure(long id, String code, String message) {
            return new Result(id, null, Objects.requireNonNull(code, "code"), message);
        }

        /**
         * Whether the call failed.
         *
         * @return {@code true} when {@link #code()} is set
         */
        boolean failed() {
            return code != null;
        }
    }

    /**
     * One piece of an encoded {@link Snapshot}: from the host to a joining client, or from a client to a new host
     * that pulled its state. Built and reassembled only by {@link SnapshotChunks}.
     *
     * @param index the piece's position, {@code 0 <= index < count}
     * @param count how many pieces the snapshot has, {@code >= 1}
     * @param data  the piece of the snapshot's text
     */
    record SnapChunk(int index, int count, String data) implements ToHost, ToClient {
        /** Checks the position and that there is data. */
        public SnapChunk {
            Objects.requireNonNull(data, "data");
            if (count < 1 || index < 0 || index >= count) {
                throw new IllegalArgumentException("snapshot chunk " + index + " of " + count);
            }
        }
    }

    /**
     * One piece of a frame too large for the frame limit (today: entries whose effect is larger than a frame), from the
     * host to a client. The pieces of one frame travel in order, nothing between them; the receiver puts the text back
     * together and handles the frame it makes. Built by {@link EntryFrames}, reassembled by
     * {@link SnapshotChunks.Assembler}.
     *
     * @param index the piece's position, {@code 0 <= index < count}
     * @param count how many pieces the frame has, {@code >= 1}
     * @param data  the piece of the frame's text
     */
    record Part(int index, int count, String data) implements ToClient {
        /** Checks the position and that there is data. */
        public Part {
            Objects.requireNonNull(data, "data");
            if (count < 1 || index < 0 || index >= count) {
                throw new IllegalArgumentException("frame part " + index + " of " + count);
            }
        }
    }

    /**
     * A report that the other side sent something wrong (today: the host's answer to a frame it cannot use, with
     * {@code ERR_PROTOCOL}). Informational: the receiver logs it.
     *
     * @param code    the {@code MemSyncException} code
     * @param message what was wrong
     */
    record ErrorReport(String code, String message) implements ToHost, ToClient {
        /** Checks the code; a missing message becomes {@code ""}. */
        public ErrorReport {
            Objects.requireNonNull(code, "code");
            message = message == null ? "" : message;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // host -> client
    // ---------------------------------------------------------------------------------------------------------

    /**
     * The host's periodic heartbeat: it is alive, the current members, and the low-water mark below which clients may
     * compact their logs. A client answers with an {@link Ack}.
     *
     * @param term     the host's term
     * @param version  the host's version
     * @param lowWater the lowest version every ready client has acknowledged
     * @param peers    the peer ids of the members
     * @param pending  the pending count each member last reported, in the order of {@code peers} ({@code -1} where
     *                 unknown), or empty when the host sent none (a host from before the report)
     */
    record Heartbeat(long term, long version, long lowWater, List<String> peers, List<Integer> pending) implements ToClient {
        /** Copies the lists; {@code pending} is empty or parallel to {@code peers}. */
        public Heartbeat {
            peers = List.copyOf(peers);
            pending = parallel(peers, pending);
        }

        /**
         * A heartbeat without pending counts.
         *
         * @param term     the host's term
         * @param version  the host's version
         * @param lowWater the low-water mark
         * @param peers    the peer ids of the members
         */
        Heartbeat(long term, long version, long lowWater, List<String> peers) {
            this(term, version, lowWater, peers, List.of());
        }
    }

    /** The host is handing over and asks for an {@link Ack} at once. */
    record Sync() implements ToClient {
    }

    /**
     * The host admitted the client: the entries it lacks (unless a snapshot was sent just before) and the members.
     *
     * @param term    the host's term
     * @param entries the entries after the client's position (empty after a snapshot)
     * @param peers   the peer ids of the members, the host first
     * @param pending the pending count each member last reported, in the order of {@code peers} ({@code -1} where
     *                unknown), or empty when the host sent none
     */
    record Welcome(long term, List<Entry> entries, List<String> peers, List<Integer> pending) implements ToClient {
        /** Copies the lists; {@code pending} is empty or parallel to {@code peers}. */
        public Welcome {
            entries = List.copyOf(entries);
            peers = List.copyOf(peers);
            pending = parallel(peers, pending);
        }

        /**
         * A welcome without pending counts.
         *
         * @param term    the host's term
         * @param entries the entries after the client's position
         * @param peers   the peer ids of the members, the host first
         */
        Welcome(long term, List<Entry> entries, List<String> peers) {
            this(term, entries, peers, List.of());
        }
    }

    /**
     * Checks that per-member pending counts are absent or one per member, and copies them.
     *
     * @param peers   the members
     * @param pending their pending counts, or empty
     * @return the immutable copy
     * @throws IllegalArgumentException when there are counts, but not one per member
     */
    private static List<Integer> parallel(List<String> peers, List<Integer> pending) {
        List<Integer> copy = List.copyOf(pending);
        if (!copy.isEmpty() && copy.size() != peers.size()) {
            throw new IllegalArgumentException(copy.size() + " pending counts for " + peers.size() + " members");
        }
        return copy;
    }

    /**
     * The host stopped after every client had its last version: look for the next host.
     *
     * @param version the version the host handed over at
     */
    record Handover(long version) implements ToClient {
    }

    /**
     * Newly ordered entries, in order (accepted updates and rejections; a writer learns its outcome from these).
     *
     * @param entries the entries
     */
    record Entries(List<Entry> entries) implements ToClient {
        /** Copies the entries. */
        public Entries {
            entries = List.copyOf(entries);
        }
    }

    /**
     * A new host in recovery asks the member with the newest log for what it lacks: a {@link Tail} when the member's
     * log agrees at {@code (lastTerm, lastVersion)}, else a snapshot.
     *
     * @param hasDocument whether the host holds a document at all
     * @param lastTerm    the host's last term
     * @param lastVersion the host's last version
     */
    record Pull(boolean hasDocument, long lastTerm, long lastVersion) implements ToClient {
    }

    /**
     * The host does not admit the client (e.g. {@code ERR_MAX_WRITERS}) and closes the connection.
     *
     * @param code    the {@code MemSyncException} code
     * @param message why
     */
    record Refuse(String code, String message) implements ToClient {
        /** Checks the code; a missing message becomes {@code ""}. */
        public Refuse {
            Objects.requireNonNull(code, "code");
            message = message == null ? "" : message;
        }
    }
}
