package io.memsync.storage.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.memsync.MemSyncException;

/**
 * The exclusive lock of a store folder: an operating-system lock on {@code store.lock}, which then names its holder
 * (pid, start time, command). A JDK file lock is released when any channel on the file in the JVM closes, so a
 * JVM-wide set keeps a second store in this JVM from even opening the file.
 */
final class StoreLock implements AutoCloseable {
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock or fails at once.
     *
     * @param file  the lock file
     * @param store the store, for messages
     * @return the held lock
     * @throws MemSyncException {@link MemSyncException#ERR_IO} when another process (named) or this one holds it,
     *                          or it cannot be taken
     */
    static StoreLock acquire(Path file, String store) {
        Path key = file.toAbsolutePath().normalize();
        if (!HELD.add(key)) {
            throw new MemSyncException(MemSyncException.ERR_IO, "store " + store + " is already open in this process (pid "
                    + ProcessHandle.current().pid() + "); close it first");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = readHolder(channel);
                channel.close();
                HELD.remove(key);
                throw new MemSyncException(MemSyncException.ERR_IO, "store " + store + " is locked by another process: "
                        + (holder.isBlank() ? "(holder unknown)" : holder) + " (lock file " + key + ")");
            }
            ProcessHandle self = ProcessHandle.current();
            String holder = "pid " + self.pid() + ", started " + self.info().startInstant().map(Instant::toString).orElse("?")
                    + ", command " + self.info().command().orElse("?") + "\n";
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new StoreLock(key, channel, lock);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // reported below
                }
            }
            HELD.remove(key);
            throw new MemSyncException(MemSyncException.ERR_IO, "store " + store + ": cannot lock " + key + ": " + e, e);
        }
    }

    private static String readHolder(FileChannel channel) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1024);
        channel.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).trim();
    }

    /** Releases the lock (the file stays). */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the channel is gone with the lock either way
        } finally {
            HELD.remove(file);
        }
    }
}
