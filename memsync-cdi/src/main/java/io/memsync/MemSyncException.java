package io.memsync;

import java.io.Serial;
import java.util.Objects;

/**
 * The one exception memsync throws or completes a stage with.
 *
 * <p>Every instance carries a stable {@link #code() code}, one of the {@code ERR_*} constants of this class, so
 * callers can branch on the kind of failure without parsing messages; the message says what was wrong and names
 * the shared object, path, operator or method concerned. Where the failure is tied to a replica state, the
 * current {@link #term()} and {@link #version()} are carried (or {@code -1}).
 */
public class MemSyncException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** {@code start()} of a writer found the network's writer cap reached. */
    public static final String ERR_MAX_WRITERS = "ERR_MAX_WRITERS";
    /** An update was created before a conflicting, newer change that was already ordered. */
    public static final String ERR_STALE_PATCH = "ERR_STALE_PATCH";
    /** A patch precondition (version or filter) did not hold at the host. */
    public static final String ERR_PRECONDITION = "ERR_PRECONDITION";
    /** An update is malformed or cannot apply to the document; nothing was changed. */
    public static final String ERR_INVALID_PATCH = "ERR_INVALID_PATCH";
    /** A patch from a process without the writer role. */
    public static final String ERR_READ_ONLY = "ERR_READ_ONLY";
    /** No process on the network registered the RPC method called. */
    public static final String ERR_RPC_NOT_FOUND = "ERR_RPC_NOT_FOUND";
    /** An RPC handler threw, or its arguments did not fit. */
    public static final String ERR_RPC_FAILED = "ERR_RPC_FAILED";
    /** The process that was running an RPC call went away before answering. */
    public static final String ERR_RPC_PEER_GONE = "ERR_RPC_PEER_GONE";
    /** No outcome within the configured timeout; for a patch this means "outcome unknown". */
    public static final String ERR_TIMEOUT = "ERR_TIMEOUT";
    /** The shared object is stopped (or was stopped while the operation waited). */
    public static final String ERR_STOPPED = "ERR_STOPPED";
    /** A peer failed authentication, or asked for a shared object this process does not serve. */
    public static final String ERR_UNAUTHORIZED = "ERR_UNAUTHORIZED";
    /** A frame or document is larger than the configured limit. */
    public static final String ERR_TOO_LARGE = "ERR_TOO_LARGE";
    /** A frame that does not parse or breaks the replication protocol. */
    public static final String ERR_PROTOCOL = "ERR_PROTOCOL";
    /**
     * A bounded queue of this process or of the host is full: too many RPC calls running or waiting in this process,
     * too many calls relayed by the host, or too many updates waiting (while a new host recovers, or for a host).
     * Nothing was done; the operation may be tried again later.
     */
    public static final String ERR_BUSY = "ERR_BUSY";
    /** A configuration value (builder option, name, MicroProfile Config property) is invalid. */
    public static final String ERR_CONFIG = "ERR_CONFIG";
    /** An I/O failure of the rendezvous folder, the network or the persistence files. */
    public static final String ERR_IO = "ERR_IO";
    /** {@code start()} of a join-only process ({@link MemSync.Builder#joinOnly()}) found no host for the name. */
    public static final String ERR_NO_HOST = "ERR_NO_HOST";
    /**
     * An HTTP request refused by the {@code server(port)} listener or the JAX-RS resources: a {@code Host} or
     * {@code Origin} that is not allowed, or a write while writing over HTTP is not enabled.
     */
    public static final String ERR_FORBIDDEN = "ERR_FORBIDDEN";

    private final String code;
    private final long term;
    private final long version;

    /**
     * Creates an exception.
     *
     * @param code    one of the {@code ERR_*} constants
     * @param message what was wrong, naming the culprit
     */
    public MemSyncException(String code, String message) {
        this(code, message, null, -1, -1);
    }

    /**
     * Creates an exception with a cause.
     *
     * @param code    one of the {@code ERR_*} constants
     * @param message what was wrong, naming the culprit
     * @param cause   the underlying failure, may be {@code null}
     */
    public MemSyncException(String code, String message, Throwable cause) {
        this(code, message, cause, -1, -1);
    }

    /**
     * Creates an exception that carries the replica's current position.
     *
     * @param code    one of the {@code ERR_*} constants
     * @param message what was wrong, naming the culprit
     * @param cause   the underlying failure, may be {@code null}
     * @param term    the current term, or {@code -1}
     * @param version the current version, or {@code -1}
     */
    public MemSyncException(String code, String message, Throwable cause, long term, long version) {
        super(code + ": " + message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.term = term;
        this.version = version;
    }

    /**
     * The stable code of this failure, one of the {@code ERR_*} constants of this class.
     *
     * @return the code, never {@code null}
     */
    public String code() {
        return code;
    }

    /**
     * The host's term when the failure was decided, if known.
     *
     * @return the term, or {@code -1}
     */
    public long term() {
        return term;
    }

    /**
     * The document's current version when the failure was decided (for {@link #ERR_PRECONDITION},
     * {@link #ERR_STALE_PATCH}), if known.
     *
     * @return the version, or {@code -1}
     */
    public long version() {
        return version;
    }

    /**
     * The message without the leading code.
     *
     * @return the detail message
     */
    public String detail() {
        String m = getMessage();
        return m.startsWith(code + ": ") ? m.substring(code.length() + 2) : m;
    }
}
