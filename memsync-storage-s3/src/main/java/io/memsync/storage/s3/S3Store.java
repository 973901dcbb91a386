package io.memsync.storage.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

import io.memsync.MemSyncException;
import io.memsync.storage.Durability;
import io.memsync.storage.LoadedState;
import io.memsync.storage.LogRecord;
import io.memsync.storage.SnapshotRecord;
import io.memsync.storage.Store;
import io.memsync.storage.StoreOptions;
import io.memsync.storage.log.GroupCommit;
import io.memsync.storage.log.LogReplay;
import io.memsync.storage.log.LogSequence;
import io.memsync.storage.log.RecordCodec;
import io.memsync.storage.log.SnapshotCodec;
import io.memsync.storage.log.StoreGuard;
import io.memsync.storage.log.StoreNames;
import io.memsync.storage.log.StorePosition;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 store of one shared object: under the key prefix {@code <prefix>/<name>/}
 * <ul>
 *   <li>{@code log/wal-<sequence>-<base>.log}: log segments in the file store's format ({@link RecordCodec}), one
 *       object per upload: every force (group commit, see {@link Durability}) uploads the records appended since
 *       the last one as the next segment;</li>
 *   <li>{@code snapshot/snapshot-<version>-<term>.snap}: snapshots ({@link SnapshotCodec}); the two newest are kept,
 *       and the segments the older one covers are deleted;</li>
 *   <li>{@code cut/…}: objects set aside while opening (corrupt, or following a gap).</li>
 * </ul>
 * Appends under each {@link Durability}: an object store has no page cache between the process and durable
 * storage, so there is no counterpart of the file store's "written to the operating system" and {@code BATCH}
 * cannot complete before the upload without being {@code NONE}:
 * <ul>
 *   <li>{@code NONE}: the record is queued in the process and its stage completes at once; the queue is uploaded as
 *       one segment at most once per batch window (and by {@link #flush()}, {@link #writeSnapshot(SnapshotRecord)},
 *       {@link #close()}). A {@code kill -9} loses what was not uploaded yet; what is left is a prefix.</li>
 *   <li>{@code BATCH} (the default): the stage completes after the conditional upload of the segment that holds
 *       the record; uploads start at most once per batch window (at once when the last one is older than a
 *       window), so the records appended meanwhile form one group and share one upload. A lone writer awaiting each
 *       acknowledgement waits about one window plus one upload per append.</li>
 *   <li>{@code ALWAYS}: the same, without the window: an upload starts as soon as the previous one ended
 *       (concurrent appends share it).</li>
 * </ul>
 * An acknowledged record under {@code BATCH} or {@code ALWAYS} is in S3 (as durable as the bucket) and survives
 * any crash of the process or its machine.
 *
 * <p>Every segment and snapshot is written with {@code If-None-Match: *}: a key is written once, so when two processes
 * open one store, the second to write a segment key gets {@code 412 Precondition Failed} and stops (its stages
 * fail with {@code ERR_IO} naming the key); there is no lock beyond that. A failed upload (bucket unreachable, after
 * the SDK's retries) fails the waiting stages and the store, which then refuses appends until reopened.
 */
public final class S3Store implements Store {
    private static final System.Logger LOG = System.getLogger(S3Store.class.getName());

    private record SegmentObject(String key, long sequence, long baseVersion) {
    }

    private final S3Objects objects;
    private final String root;
    private final String description;
    private final StoreOptions options;
    private final ReentrantLock mutex = new ReentrantLock();
    private final ReentrantLock uploading = new ReentrantLock();
    private final Object snapshotLock = new Object();
    private final List<SegmentObject> segments = new ArrayList<>();
    private final GroupCommit commit;
    /** The log's sequence and newest snapshot. Under the mutex. */
    private final StorePosition logPosition;
    private long nextSequence;
    private ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private long pendingBaseTerm;
    private long pendingBaseVersion;
    private long appended;
    private LoadedState openState;
    private final StoreGuard guard;

    private S3Store(S3Objects objects, String root, String description, StoreOptions options) {
        this.objects = objects;
        this.root = root;
        this.description = description;
        this.options = options;
        this.guard = new StoreGuard(description, LOG);
        this.logPosition = new StorePosition(description);
        this.commit = new GroupCommit(description, options.durability() == Durability.ALWAYS ? java.time.Duration.ZERO
                : options.batchWindow(), this::upload, guard::failed);
    }

    /**
     * Opens the store under a key prefix, recovers it and positions it after its last record.
     *
     * @param client      the S3 client (closed with the store)
     * @param bucket      the bucket
     * @param root        the store's key prefix, ending with {@code /}
     * @param description how messages name it
     * @param options     the options
     * @return the store
     * @throws MemSyncException {@link MemSyncException#ERR_IO} when the bucket is unreachable or missing, or the
     *                          store cannot be read
     */
    static S3Store open(S3Client client, String bucket, String root, String description, StoreOptions options) {
        S3Objects objects = new S3Objects(client, bucket, description);
        objects.checkBucket();
        S3Store store = new S3Store(objects, root, description, options);
        try {
            store.recover();
            return store;
        } catch (RuntimeException e) {
            store.release();
            throw e;
        }
    }

    private void recover() {
        List<LoadedState.Cut> cuts = new ArrayList<>();
        SnapshotRecord snapshot = newestSnapshot(cuts, true);
        List<SegmentObject> all = listSegments();
        int from = 0;
        if (snapshot != null) {
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).baseVersion() <= snapshot.version()) {
                    from = i;
                }
            }
        }
        List<LogReplay.Segment> read = new ArrayList<>();
        for (SegmentObject s : all.subList(from, all.size())) {
            read.add(new LogReplay.Segment(s.key().substring(root.length()), objects.get(s.key())));
        }
        LogReplay.Result result;
        try {
            result = LogReplay.replay(read, snapshot);
        } catch (IllegalStateException e) {
            throw new MemSyncException(MemSyncException.ERR_IO, "store " + description + " is inconsistent: " + e.getMessage(), e);
        }
        for (LogReplay.Truncation t : result.truncations()) {
            SegmentObject s = all.get(from + t.segment());
            byte[] bytes = read.get(t.segment()).bytes();
            objects.copy(s.key(), root + "cut/" + s.key().substring(root.length()));
            objects.delete(s.key());
            if (t.validLength() > RecordCodec.SEGMENT_HEADER_BYTES) {
                objects.putNew(s.key(), Arrays.copyOf(bytes, (int) t.validLength()));
            }
        }
        for (int i = result.discardFrom(); i < read.size(); i++) {
            SegmentObject s = all.get(from + i);
            objects.copy(s.key(), root + "cut/" + s.key().substring(root.length()));
            objects.delete(s.key());
        }
        cuts.addAll(result.cuts());
        for (LoadedState.Cut c : cuts) {
            LOG.log(Level.WARNING, "store " + description + ": cut " + c);
        }
        for (int i = 0; i < from + Math.min(result.discardFrom(), read.size()); i++) {
            SegmentObject s = all.get(i);
            boolean emptied = false;
            for (LogReplay.Truncation t : result.truncations()) {
                emptied |= from + t.segment() == i && t.validLength() <= RecordCodec.SEGMENT_HEADER_BYTES;
            }
            if (!emptied) {
                segments.add(s);
            }
        }
        logPosition.recovered(result.sequence(), snapshot);
        LogSequence sequence = logPosition.sequence();
        nextSequence = all.isEmpty() ? 1 : all.get(all.size() - 1).sequence() + 1;
        pendingBaseTerm = sequence.lastTerm();
        pendingBaseVersion = sequence.lastVersion();
        openState = new LoadedState(Optional.ofNullable(snapshot), result.tail(), sequence.lastTerm(), sequence.lastVersion(), cuts);
    }

    private SnapshotRecord newestSnapshot(List<LoadedState.Cut> cuts, boolean repair) {
        List<StoreNames.SnapshotName> names = new ArrayList<>();
        for (S3Object o : objects.list(root + "snapshot/")) {
            StoreNames.SnapshotName n = StoreNames.parseSnapshot(o.key().substring(root.length() + "snapshot/".length()));
            if (n != null) {
                names.add(n);
            }
        }
        names.sort(Comparator.comparingLong(StoreNames.SnapshotName::version).thenComparingLong(StoreNames.SnapshotName::term).reversed());
        for (StoreNames.SnapshotName n : names) {
            String key = root + "snapshot/" + n.name();
            SnapshotCodec.Decoded d = SnapshotCodec.decode(objects.get(key), n);
            String problem = d.problem();
            if (problem == null) {
                return d.snapshot();
            }
            cuts.add(new LoadedState.Cut("snapshot/" + n.name(), 0, -1, problem + "; snapshot set aside, falling back to the previous one"));
            if (repair) {
                objects.copy(key, root + "cut/" + n.name());
                objects.delete(key);
            }
        }
        return null;
    }

    private List<SegmentObject> listSegments() {
        List<SegmentObject> list = new ArrayList<>();
        for (S3Object o : objects.list(root + "log/")) {
            StoreNames.SegmentName n = StoreNames.parseSegment(o.key().substring(root.length() + "log/".length()));
            if (n != null) {
                list.add(new SegmentObject(o.key(), n.sequence(), n.baseVersion()));
            }
        }
        list.sort(Comparator.comparingLong(SegmentObject::sequence));
        return list;
    }

    // ---- the port

    @Override
    public LoadedState load() {
        mutex.lock();
        try {
            guard.ensureOpen();
            if (openState != null) {
                return openState;
            }
        } finally {
            mutex.unlock();
        }
        flush();
        synchronized (snapshotLock) {
            List<LoadedState.Cut> cuts = new ArrayList<>();
            SnapshotRecord snapshot = newestSnapshot(cuts, false);
            List<SegmentObject> all = listSegments();
            List<LogReplay.Segment> read = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                // a segment followed by one based at or before the snapshot holds nothing the snapshot lacks
                if (snapshot == null || i == all.size() - 1 || all.get(i + 1).baseVersion() > snapshot.version()) {
                    SegmentObject s = all.get(i);
                    read.add(new LogReplay.Segment(s.key().substring(root.length()), objects.get(s.key())));
                }
            }
            try {
                LogReplay.Result r = LogReplay.replay(read, snapshot);
                cuts.addAll(r.cuts());
                return new LoadedState(Optional.ofNullable(snapshot), r.tail(), r.sequence().lastTerm(), r.sequence().lastVersion(), cuts);
            } catch (IllegalStateException e) {
                throw new MemSyncException(MemSyncException.ERR_IO, "store " + description + " is inconsistent: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public CompletableFuture<Void> append(LogRecord record) {
        long position;
        mutex.lock();
        try {
            guard.ensureWritable();
            logPosition.checkAppend(record);
            openState = null;
            ByteBuffer b = RecordCodec.encode(RecordCodec.ENTRY, record.term(), record.version(), record.payload());
            int size = b.remaining();
            pending.write(b.array(), 0, size);
            logPosition.sequence().accept(record.term(), record.version(), size);
            position = ++appended;
        } finally {
            mutex.unlock();
        }
        if (options.durability() == Durability.NONE) {
            // queued in the process; uploaded within one window (or at flush, snapshot, close)
            commit.request(position);
            return CompletableFuture.completedFuture(null);
        }
        // BATCH and ALWAYS: complete after the conditional upload of the group that holds the record
        return commit.await(position);
    }

    /** The force of the group commit: uploads the records appended since the last upload as the next segment. */
    private long upload() throws IOException {
        uploading.lock();
        try {
            byte[] records;
            long target;
            long baseTerm;
            long baseVersion;
            long seq;
            long lastTerm;
            long lastVersion;
            mutex.lock();
            try {
                target = appended;
                if (pending.size() == 0) {
                    return target;
                }
                records = pending.toByteArray();
                baseTerm = pendingBaseTerm;
                baseVersion = pendingBaseVersion;
                seq = nextSequence;
                lastTerm = logPosition.sequence().lastTerm();
                lastVersion = logPosition.sequence().lastVersion();
            } finally {
                mutex.unlock();
            }
            ByteBuffer header = RecordCodec.segmentHeader();
            ByteBuffer base = RecordCodec.encode(RecordCodec.BASE, baseTerm, baseVersion, new byte[0]);
            byte[] segment = new byte[header.remaining() + base.remaining() + records.length];
            int n = header.remaining();
            header.get(segment, 0, n);
            int m = base.remaining();
            base.get(segment, n, m);
            System.arraycopy(records, 0, segment, n + m, records.length);
            String key = root + "log/" + StoreNames.segment(seq, baseVersion);
            objects.putNew(key, segment);
            mutex.lock();
            try {
                byte[] rest = pending.toByteArray();
                pending = new ByteArrayOutputStream(Math.max(32, rest.length - records.length));
                pending.write(rest, records.length, rest.length - records.length);
                pendingBaseTerm = lastTerm;
                pendingBaseVersion = lastVersion;
                nextSequence = seq + 1;
                segments.add(new SegmentObject(key, seq, baseVersion));
            } finally {
                mutex.unlock();
            }
            return target;
        } finally {
            uploading.unlock();
        }
    }

    @Override
    public void writeSnapshot(SnapshotRecord snapshot) {
        synchronized (snapshotLock) {
            mutex.lock();
            try {
                guard.ensureWritable();
                if (!logPosition.checkSnapshot(snapshot)) {
                    return;
                }
            } finally {
                mutex.unlock();
            }
            // the log up to now goes first, so a jump beyond it starts a segment of its own
            commit.forceNow();
            String name = StoreNames.snapshot(snapshot.version(), snapshot.term());
            byte[] blob = SnapshotCodec.encode(snapshot);
            objects.putNew(root + "snapshot/" + name, blob);
            List<String> obsolete = new ArrayList<>();
            mutex.lock();
            try {
                guard.ensureWritable();
                if (!logPosition.checkSnapshot(snapshot)) {
                    return;
                }
                logPosition.snapshotWritten(snapshot);
                openState = null;
                if (pending.size() == 0) {
                    pendingBaseTerm = logPosition.sequence().lastTerm();
                    pendingBaseVersion = logPosition.sequence().lastVersion();
                }
            } finally {
                mutex.unlock();
            }
            List<StoreNames.SnapshotName> snaps = new ArrayList<>();
            for (S3Object o : objects.list(root + "snapshot/")) {
                StoreNames.SnapshotName n = StoreNames.parseSnapshot(o.key().substring(root.length() + "snapshot/".length()));
                if (n != null) {
                    snaps.add(n);
                }
            }
            snaps.sort(Comparator.comparingLong(StoreNames.SnapshotName::version).reversed());
            if (snaps.size() >= 2) {
                for (StoreNames.SnapshotName n : snaps.subList(2, snaps.size())) {
                    obsolete.add(root + "snapshot/" + n.name());
                }
                long older = snaps.get(1).version();
                mutex.lock();
                try {
                    while (segments.size() > 1 && segments.get(1).baseVersion() <= older) {
                        obsolete.add(segments.remove(0).key());
                    }
                } finally {
                    mutex.unlock();
                }
            }
            for (String key : obsolete) {
                try {
                    objects.delete(key);
                } catch (MemSyncException e) {
                    LOG.log(Level.WARNING, "store " + description + ": cannot delete " + key + " after compaction: " + e.getMessage());
                }
            }
        }
    }

    @Override
    public boolean snapshotDue() {
        mutex.lock();
        try {
            return logPosition.snapshotDue(options);
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public void flush() {
        guard.ensureHealthy();
        commit.forceNow();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        if (guard.closed()) {
            return;
        }
        try {
            if (guard.failure() == null) {
                flush();
            }
        } finally {
            release();
        }
    }

    private void release() {
        guard.close();
        commit.close();
        objects.close();
    }

    @Override
    public String toString() {
        return "S3Store[" + description + ", " + options.durability() + "]";
    }

    /** Thin wrapper of the S3 calls the store makes, turning SDK failures into {@link MemSyncException}s. */
    static final class S3Objects implements AutoCloseable {
        private final S3Client client;
        private final String bucket;
        private final String store;

        S3Objects(S3Client client, String bucket, String store) {
            this.client = client;
            this.bucket = bucket;
            this.store = store;
        }

        void checkBucket() {
            try {
                client.headBucket(b -> b.bucket(bucket));
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    throw new MemSyncException(MemSyncException.ERR_IO, "store " + store + ": S3 bucket '" + bucket + "' does not exist", e);
                }
                throw new MemSyncException(MemSyncException.ERR_IO, "store " + store + ": S3 bucket '" + bucket + "' refused access (HTTP "
                        + e.statusCode() + "): " + e.getMessage(), e);
            } catch (SdkException e) {
                throw unreachable(e);
            }
        }

        private MemSyncException unreachable(SdkException e) {
            String endpoint = client.serviceClientConfiguration().endpointOverride().map(Object::toString).orElse("AWS");
            return new MemSyncException(MemSyncException.ERR_IO, "store " + store + ": S3 bucket '" + bucket + "' at " + endpoint
                    + " is unreachable: " + e.getMessage(), e);
        }

        List<S3Object> list(String prefix) {
            try {
                List<S3Object> out = new ArrayList<>();
                client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(out::add);
                return out;
            } catch (S3Exception e) {
                throw new MemSyncException(MemSyncException.ERR_IO, "store " + store + ": cannot list " + prefix + " in bucket '" + bucket
                        + "' (HTTP " + e.statusCode() + "): " + e.getMessage(), e);
            } catch (SdkException e) {
                throw unreachable(e);
            }
        }

        byte[] get(String key) {
            try {
                return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
            } catch (S3Exception e) {
                throw new MemSyncException(MemSyncException.ERR_IO, "store " + store + ": cannot read " + key + " (HTTP "
                        + e.statusCode() + "): " + e.getMessage(), e);
            } catch (SdkException e) {
                throw unreachable(e);
            }
        }

        /**
         * Writes a key that must not exist yet ({@code If-None-Match: *}); a key already holding exactly these bytes
         * counts as written (a retried upload that went through, a snapshot written twice).
         */
        void putNew(String key, byte[] bytes) {
            try {
                client.putObject(b -> b.bucket(bucket).key(key).ifNoneMatch("*"), RequestBody.fromBytes(bytes));
            } catch (S3Exception e) {
                if (e.statusCode() == 412 || e.statusCode() == 409) {
                    if (sameAs(key, bytes)) {
                        return;
                    }
                    throw new MemSyncException(MemSyncException.ERR_IO, "store " + store + ": " + key
                            + " was already written by another process (HTTP " + e.statusCode()
                            + " on a conditional write): another host writes this store; this one stops writing", e);
                }
                throw new MemSyncException(MemSyncException.ERR_IO, "store " + store + ": cannot write " + key + " (HTTP "
                        + e.statusCode() + "): " + e.getMessage(), e);
            } catch (SdkException e) {
                throw unreachable(e);
            }
        }

        private boolean sameAs(String key, byte[] bytes) {
            try {
                return Arrays.equals(get(key), bytes);
            } catch (MemSyncException e) {
                return false;
            }
        }

        void copy(String from, String to) {
            try {
                client.copyObject(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to));
            } catch (S3Exception e) {
                throw new MemSyncException(MemSyncException.ERR_IO, "store " + store + ": cannot copy " + from + " to " + to + " (HTTP "
                        + e.statusCode() + "): " + e.getMessage(), e);
            } catch (SdkException e) {
                throw unreachable(e);
            }
        }

        void delete(String key) {
            try {
                client.deleteObject(b -> b.bucket(bucket).key(key));
            } catch (S3Exception e) {
                throw new MemSyncException(MemSyncException.ERR_IO, "store " + store + ": cannot delete " + key + " (HTTP "
                        + e.statusCode() + "): " + e.getMessage(), e);
            } catch (SdkException e) {
                throw unreachable(e);
            }
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
