package io.memsync.storage.file;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
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

/**
 * The file store of one shared object: a folder holding
 * <ul>
 *   <li>{@code store.lock}: the exclusive lock, naming its holder;</li>
 *   <li>{@code wal-<sequence>-<base>.log}: log segments (see {@link RecordCodec}); each open starts a new one, and
 *       a new one starts when the current one exceeds {@link StoreOptions#segmentBytes()} or a snapshot is
 *       written;</li>
 *   <li>{@code snapshot-<version>-<term>.snap}: snapshots (see {@link SnapshotCodec}), written to a temporary file,
 *       forced, renamed atomically, and the folder forced; the two newest are kept.</li>
 * </ul>
 * Opening deletes leftover temporary files, sets corrupt snapshots aside ({@code .corrupt}), cuts a torn or corrupt
 * log tail (truncating the segment) and sets aside ({@code .cut}) segments that can no longer be applied; every cut
 * is logged at {@code WARNING} and reported in {@link LoadedState#cuts()}.
 *
 * <p>Appends under each {@link Durability} (see there for what each survives):
 * <ul>
 *   <li>{@code NONE}: the record is copied into a buffer of {@value #BUFFER_BYTES} bytes in the process and the stage
 *       completes at once; a background thread writes the buffer to the segment at most once per batch window, and
 *       a full buffer, {@link #flush()}, {@link #writeSnapshot(SnapshotRecord)} and {@link #close()} write it too.
 *       Nothing forces the log in the background.</li>
 *   <li>{@code BATCH}: the record is written to the segment file ({@code write(2)}, into the page cache) before
 *       {@code append} returns, and the stage is already complete; the group-commit thread fsyncs the segment at
 *       most once per batch window, at once when the last fsync is older than a window.</li>
 *   <li>{@code ALWAYS}: written the same way; the stage completes after the fsync that covers it, which starts
 *       as soon as the previous one ended (concurrent appends share it; no window).</li>
 * </ul>
 * In every mode a segment is fsynced when it is closed (rotation, snapshot), and {@link #flush()} and
 * {@link #close()} write out and fsync everything appended.
 */
public final class FileStore implements Store {
    private static final System.Logger LOG = System.getLogger(FileStore.class.getName());
    private static final String LOCK_FILE = "store.lock";
    private static final String TMP_SUFFIX = ".tmp";
    /** Size of the in-process buffer of {@link Durability#NONE}: 256 KiB. */
    static final int BUFFER_BYTES = 256 << 10;

    private record SegmentFile(Path path, long sequence, long baseVersion, int entries) {
    }

    private final Path dir;
    private final String description;
    private final StoreOptions options;
    private final StoreLock storeLock;
    private final ReentrantLock mutex = new ReentrantLock();
    private final Object forceLock = new Object();
    private final Object snapshotLock = new Object();
    private final List<SegmentFile> segments = new ArrayList<>();
    private final GroupCommit commit;
    private FileChannel channel;
    private long segmentBytes;
    private int segmentEntries;
    private long nextSequence;
    /** Bytes handed to the operating system (segment headers and records, all segments). */
    private long written;
    /** Bytes appended: {@link #written} plus what {@link #buffer} holds. */
    private long appended;
    /** Records not yet written under {@link Durability#NONE}; {@code null} in the other modes. Under the mutex. */
    private final ByteBuffer buffer;
    /** The log's sequence and newest snapshot. Under the mutex. */
    private final StorePosition logPosition;
    private LoadedState openState;
    private final StoreGuard guard;

    private FileStore(Path dir, StoreOptions options, StoreLock storeLock) {
        this.dir = dir;
        this.description = "file:" + dir;
        this.options = options;
        this.storeLock = storeLock;
        this.guard = new StoreGuard(description, LOG);
        this.logPosition = new StorePosition(description);
        Durability d = options.durability();
        this.buffer = d == Durability.NONE ? ByteBuffer.allocate(BUFFER_BYTES) : null;
        // NONE: the thread writes the buffer out; BATCH: it fsyncs once per window; ALWAYS: it fsyncs back to back
        this.commit = d == Durability.NONE ? new GroupCommit(description, options.batchWindow(), this::writeOut, guard::failed)
                : new GroupCommit(description, d == Durability.BATCH ? options.batchWindow() : Duration.ZERO, this::forceCurrent,
                guard::failed);
    }

    /**
     * Opens (creating) the store in a folder, recovers it and positions it after its last record.
     *
     * @param dir     the store's folder
     * @param options the options
     * @return the open store
     * @throws MemSyncException {@link MemSyncException#ERR_IO} when the folder cannot be used or another process
     *                          holds its lock (named in the message)
     */
    public static FileStore open(Path dir, StoreOptions options) {
        Path folder = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(folder);
            // one spelling per folder, so that a second open through a symbolic link is seen as the same store
            folder = folder.toRealPath();
        } catch (IOException e) {
            throw new MemSyncException(MemSyncException.ERR_IO, "store file:" + folder + ": cannot create the folder: " + e, e);
        }
        StoreLock lock = StoreLock.acquire(folder.resolve(LOCK_FILE), "file:" + folder);
        FileStore store = null;
        try {
            store = new FileStore(folder, options, lock);
            store.recover();
            return store;
        } catch (IOException | RuntimeException e) {
            if (store != null) {
                store.release();
            } else {
                lock.close();
            }
            if (e instanceof MemSyncException m) {
                throw m;
            }
            throw new MemSyncException(MemSyncException.ERR_IO, "store file:" + folder + ": cannot open: " + e, e);
        }
    }

    // ---- opening

    private void recover() throws IOException {
        deleteTemporaryFiles();
        List<LoadedState.Cut> cuts = new ArrayList<>();
        SnapshotRecord snapshot = newestSnapshot(cuts, true);
        List<SegmentFile> all = listSegments();
        int from = firstNeeded(all, snapshot);
        List<LogReplay.Segment> read = new ArrayList<>();
        for (SegmentFile s : all.subList(from, all.size())) {
            read.add(new LogReplay.Segment(s.path().getFileName().toString(), Files.readAllBytes(s.path())));
        }
        LogReplay.Result result;
        try {
            result = LogReplay.replay(read, snapshot);
        } catch (IllegalStateException e) {
            throw new MemSyncException(MemSyncException.ERR_IO, "store " + description + " is inconsistent: " + e.getMessage(), e);
        }
        for (LogReplay.Truncation t : result.truncations()) {
            Path p = all.get(from + t.segment()).path();
            if (t.validLength() <= RecordCodec.SEGMENT_HEADER_BYTES) {
                Files.delete(p);
            } else {
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                    ch.truncate(t.validLength());
                    ch.force(true);
                }
            }
        }
        for (int i = result.discardFrom(); i < read.size(); i++) {
            Path p = all.get(from + i).path();
            Files.move(p, p.resolveSibling(p.getFileName() + ".cut"), StandardCopyOption.REPLACE_EXISTING);
        }
        cuts.addAll(result.cuts());
        for (LoadedState.Cut c : cuts) {
            LOG.log(Level.WARNING, "store " + description + ": cut " + c);
        }
        // what is left on disk, in order
        for (int i = 0; i < from; i++) {
            segments.add(all.get(i));
        }
        for (int i = 0; i < Math.min(result.discardFrom(), read.size()); i++) {
            SegmentFile s = all.get(from + i);
            if (Files.exists(s.path())) {
                segments.add(new SegmentFile(s.path(), s.sequence(), s.baseVersion(), result.entries()[i]));
            }
        }
        logPosition.recovered(result.sequence(), snapshot);
        LogSequence sequence = logPosition.sequence();
        nextSequence = all.isEmpty() ? 1 : all.get(all.size() - 1).sequence() + 1;
        startSegment();
        // segments holding nothing but a base equal to the new one's are redundant
        for (int i = segments.size() - 2; i >= 0 && segments.get(i).entries() == 0; i--) {
            Files.deleteIfExists(segments.get(i).path());
            segments.remove(i);
        }
        openState = new LoadedState(Optional.ofNullable(snapshot), result.tail(), sequence.lastTerm(), sequence.lastVersion(), cuts);
    }

    private void deleteTemporaryFiles() throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + TMP_SUFFIX)) {
            for (Path p : s) {
                Files.deleteIfExists(p);
                LOG.log(Level.DEBUG, () -> "store " + description + ": deleted leftover " + p.getFileName());
            }
        }
    }

    /** The newest snapshot passing its checks; corrupt newer ones are set aside when {@code repair}. */
    private SnapshotRecord newestSnapshot(List<LoadedState.Cut> cuts, boolean repair) throws IOException {
        List<StoreNames.SnapshotName> names = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "snapshot-*.snap")) {
            for (Path p : s) {
                StoreNames.SnapshotName n = StoreNames.parseSnapshot(p.getFileName().toString());
                if (n != null) {
                    names.add(n);
                }
            }
        }
        names.sort(Comparator.comparingLong(StoreNames.SnapshotName::version).thenComparingLong(StoreNames.SnapshotName::term).reversed());
        for (StoreNames.SnapshotName n : names) {
            Path p = dir.resolve(n.name());
            SnapshotCodec.Decoded d = SnapshotCodec.decode(Files.readAllBytes(p), n);
            String problem = d.problem();
            if (problem == null) {
                return d.snapshot();
            }
            cuts.add(new LoadedState.Cut(n.name(), 0, -1, problem + "; snapshot set aside, falling back to the previous one"));
            if (repair) {
                Files.move(p, p.resolveSibling(n.name() + ".corrupt"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return null;
    }

    private List<SegmentFile> listSegments() throws IOException {
        List<SegmentFile> list = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "wal-*.log")) {
            for (Path p : s) {
                StoreNames.SegmentName n = StoreNames.parseSegment(p.getFileName().toString());
                if (n != null) {
                    list.add(new SegmentFile(p, n.sequence(), n.baseVersion(), -1));
                }
            }
        }
        list.sort(Comparator.comparingLong(SegmentFile::sequence));
        return list;
    }

    /** Index of the first segment a replay after the snapshot needs: the last one based at or before it. */
    private static int firstNeeded(List<SegmentFile> all, SnapshotRecord snapshot) {
        if (snapshot == null) {
            return 0;
        }
        int from = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).baseVersion() <= snapshot.version()) {
                from = i;
            }
        }
        return from;
    }

    /** Creates the next segment with its base record (the current last position) and forces it and the folder. */
    private void startSegment() throws IOException {
        LogSequence sequence = logPosition.sequence();
        long base = sequence.lastVersion();
        Path p = dir.resolve(StoreNames.segment(nextSequence, base));
        FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            ByteBuffer header = RecordCodec.segmentHeader();
            ByteBuffer baseRecord = RecordCodec.encode(RecordCodec.BASE, sequence.lastTerm(), base, new byte[0]);
            long n = header.remaining() + baseRecord.remaining();
            writeFully(ch, header);
            writeFully(ch, baseRecord);
            ch.force(true);
            forceFolder();
            channel = ch;
            segmentBytes = n;
            segmentEntries = 0;
            written += n;
            appended += n;
            segments.add(new SegmentFile(p, nextSequence, base, 0));
            nextSequence++;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Writes out the buffer of {@code NONE}, forces the current segment and closes it, then starts the next one. Under the mutex. */
    private void rotate() throws IOException {
        writeBuffer();
        synchronized (forceLock) {
            channel.force(false);
            channel.close();
        }
        SegmentFile last = segments.remove(segments.size() - 1);
        segments.add(new SegmentFile(last.path(), last.sequence(), last.baseVersion(), segmentEntries));
        startSegment();
    }

    /** Writes what the buffer of {@code NONE} holds to the current segment. Under the mutex. */
    private void writeBuffer() throws IOException {
        if (buffer == null || buffer.position() == 0) {
            return;
        }
        buffer.flip();
        int n = buffer.remaining();
        try {
            writeFully(channel, buffer);
        } finally {
            buffer.clear();
        }
        written += n;
    }

    /** The "force" of {@code NONE}'s background thread: writes the buffer out (no fsync). */
    private long writeOut() throws IOException {
        mutex.lock();
        try {
            if (guard.closed()) {
                return appended;
            }
            writeBuffer();
            return written;
        } catch (IOException e) {
            throw guard.failed(new MemSyncException(MemSyncException.ERR_IO, "store " + description + ": cannot write appended records: " + e, e));
        } finally {
            mutex.unlock();
        }
    }

    private void forceFolder() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot open a folder for reading; the rename is still atomic there
            LOG.log(Level.DEBUG, () -> "store " + description + ": cannot force the folder: " + e);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
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
            mutex.lock();
            try {
                List<LoadedState.Cut> cuts = new ArrayList<>();
                SnapshotRecord snapshot = newestSnapshot(cuts, false);
                List<SegmentFile> all = listSegments();
                List<LogReplay.Segment> read = new ArrayList<>();
                for (SegmentFile s : all.subList(firstNeeded(all, snapshot), all.size())) {
                    read.add(new LogReplay.Segment(s.path().getFileName().toString(), Files.readAllBytes(s.path())));
                }
                LogReplay.Result r = LogReplay.replay(read, snapshot);
                cuts.addAll(r.cuts());
                return new LoadedState(Optional.ofNullable(snapshot), r.tail(), r.sequence().lastTerm(), r.sequence().lastVersion(), cuts);
            } catch (IOException | IllegalStateException e) {
                throw new MemSyncException(MemSyncException.ERR_IO, "store " + description + ": cannot read: " + e, e);
            } finally {
                mutex.unlock();
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
            try {
                if (segmentEntries > 0 && segmentBytes + size > options.segmentBytes()) {
                    rotate();
                }
                if (buffer == null) {
                    writeFully(channel, b);
                    written += size;
                } else {
                    if (size > buffer.remaining()) {
                        writeBuffer();
                    }
                    if (size > buffer.capacity()) {
                        writeFully(channel, b);
                        written += size;
                    } else {
                        buffer.put(b);
                    }
                }
            } catch (IOException e) {
                throw guard.failed(new MemSyncException(MemSyncException.ERR_IO, "store " + description + ": cannot append version "
                        + record.version() + ": " + e, e));
            }
            logPosition.sequence().accept(record.term(), record.version(), size);
            segmentBytes += size;
            segmentEntries++;
            appended += size;
            position = appended;
        } finally {
            mutex.unlock();
        }
        if (options.durability() == Durability.ALWAYS) {
            return commit.await(position);
        }
        // NONE: written out within a window; BATCH: written already, fsynced within a window
        commit.request(position);
        return CompletableFuture.completedFuture(null);
    }

    /** The force of the group commit: forces the segment being written and returns what it covers. */
    private long forceCurrent() throws IOException {
        FileChannel ch;
        long target;
        mutex.lock();
        try {
            ch = channel;
            target = written;
        } finally {
            mutex.unlock();
        }
        synchronized (forceLock) {
            // a closed channel was forced by rotate() before it closed
            if (ch.isOpen()) {
                ch.force(false);
            }
        }
        return target;
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
                // the log up to now goes first (NONE), so that the snapshot never lies ahead of the log a kill leaves
                writeBuffer();
            } catch (IOException e) {
                throw guard.failed(new MemSyncException(MemSyncException.ERR_IO, "store " + description + ": cannot write appended records: " + e, e));
            } finally {
                mutex.unlock();
            }
            String name = StoreNames.snapshot(snapshot.version(), snapshot.term());
            Path target = dir.resolve(name);
            try {
                Path tmp = dir.resolve(name + TMP_SUFFIX);
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
                    writeFully(ch, ByteBuffer.wrap(SnapshotCodec.encode(snapshot)));
                    ch.force(true);
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                forceFolder();
            } catch (IOException e) {
                throw new MemSyncException(MemSyncException.ERR_IO, "store " + description + ": cannot write snapshot " + name + ": " + e, e);
            }
            List<Path> obsolete = new ArrayList<>();
            mutex.lock();
            try {
                guard.ensureWritable();
                if (!logPosition.checkSnapshot(snapshot)) {
                    return;
                }
                logPosition.snapshotWritten(snapshot);
                openState = null;
                try {
                    rotate();
                } catch (IOException e) {
                    throw guard.failed(new MemSyncException(MemSyncException.ERR_IO, "store " + description
                            + ": cannot start a log segment after snapshot " + name + ": " + e, e));
                }
                obsolete.addAll(compactable());
            } catch (IOException e) {
                throw new MemSyncException(MemSyncException.ERR_IO, "store " + description + ": cannot list for compaction: " + e, e);
            } finally {
                mutex.unlock();
            }
            for (Path p : obsolete) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "store " + description + ": cannot delete " + p.getFileName() + " after compaction: " + e);
                }
            }
        }
    }

    /** Snapshots beyond the two newest, and the segments the older of the two makes unnecessary. Under the mutex. */
    private List<Path> compactable() throws IOException {
        List<Path> obsolete = new ArrayList<>();
        List<StoreNames.SnapshotName> snaps = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "snapshot-*.snap")) {
            for (Path p : s) {
                StoreNames.SnapshotName n = StoreNames.parseSnapshot(p.getFileName().toString());
                if (n != null) {
                    snaps.add(n);
                }
            }
        }
        snaps.sort(Comparator.comparingLong(StoreNames.SnapshotName::version).reversed());
        if (snaps.size() < 2) {
            return obsolete;
        }
        for (StoreNames.SnapshotName n : snaps.subList(2, snaps.size())) {
            obsolete.add(dir.resolve(n.name()));
        }
        long older = snaps.get(1).version();
        while (segments.size() > 1 && segments.get(1).baseVersion() <= older) {
            obsolete.add(segments.remove(0).path());
        }
        return obsolete;
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
        if (buffer != null) {
            // NONE: forceNow wrote the buffer out; now the fsync
            try {
                forceCurrent();
            } catch (IOException e) {
                throw guard.failed(new MemSyncException(MemSyncException.ERR_IO, "store " + description + ": cannot flush: " + e, e));
            }
        }
    }

    @Override
    public String describe() {
        return description;
    }

    /**
     * The store's folder.
     *
     * @return the absolute path
     */
    public Path folder() {
        return dir;
    }

    @Override
    public void close() {
        mutex.lock();
        try {
            if (guard.closed()) {
                return;
            }
        } finally {
            mutex.unlock();
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
        mutex.lock();
        try {
            guard.close();
        } finally {
            mutex.unlock();
        }
        commit.close();
        synchronized (forceLock) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                LOG.log(Level.DEBUG, () -> "store " + description + ": closing the segment: " + e);
            }
        }
        storeLock.close();
    }

    @Override
    public String toString() {
        return "FileStore[" + dir + ", " + options.durability() + "]";
    }
}
