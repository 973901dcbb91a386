package io.memsync.discovery;

import java.io.IOException;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.memsync.MemSyncException;
import io.memsync.document.JsonProviders;
import io.memsync.replication.Election;
import io.memsync.replication.HostRecord;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

/**
 * The default {@link Election}: a rendezvous folder per name, {@code <base>/<name>}, holding {@code host.lock}
 * (never deleted; the host holds an exclusive OS file lock on it) and {@code host.json} (the {@link HostRecord},
 * replaced atomically).
 *
 * <p>The base folder is, in order: the constructor argument, the system property {@value #BASE_PROPERTY}, the
 * environment variable {@value #BASE_ENV}, or {@code ${java.io.tmpdir}/memsync-<user>}. Missing folders are
 * created with mode 0700; an existing folder is refused ({@link MemSyncException#ERR_CONFIG}) when it is a symbolic
 * link, not a directory, not owned by the current user, open to group or others, or on a network or FUSE file
 * system (where file locks are not reliable). Files are created 0600.
 *
 * <p>A JDK file lock is released when <em>any</em> channel on the file in the JVM is closed, so this class never
 * opens {@code host.lock} a second time in a JVM that holds it: held locks are kept in a per-JVM registry.
 */
public final class FileRendezvous implements Election {
    /** System property naming the base folder. */
    public static final String BASE_PROPERTY = "memsync.rendezvous.dir";
    /** Environment variable naming the base folder. */
    public static final String BASE_ENV = "MEMSYNC_RENDEZVOUS_DIR";
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<String> UNRELIABLE_FS = Set.of("nfs", "nfs4", "cifs", "smb", "smbfs", "smb2", "smb3",
            "sshfs", "9p", "afs", "glusterfs", "ceph", "lustre", "davfs", "vboxsf", "vmhgfs");
    private static final Map<Path, HeldLock> HELD = new ConcurrentHashMap<>();

    private final Path folder;
    private final Path lockFile;
    private final Path recordFile;

    /**
     * The rendezvous of {@code name} under the default base folder.
     *
     * @param name the shared object's name
     * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when a folder is unsafe,
     *                          {@link MemSyncException#ERR_IO} when it cannot be created
     */
    public FileRendezvous(String name) {
        this(defaultBase(), name);
    }

    /**
     * The rendezvous of {@code name} under {@code base}.
     *
     * @param base the base folder
     * @param name the shared object's name
     * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} when a folder is unsafe,
     *                          {@link MemSyncException#ERR_IO} when it cannot be created
     */
    public FileRendezvous(Path base, String name) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(name, "name");
        Path b = base.toAbsolutePath().normalize();
        ensureFolder(b);
        this.folder = b.resolve(name);
        ensureFolder(folder);
        this.lockFile = folder.resolve("host.lock");
        this.recordFile = folder.resolve("host.json");
    }

    /**
     * The base folder used when none is given.
     *
     * @return the base folder
     */
    public static Path defaultBase() {
        String p = System.getProperty(BASE_PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(BASE_ENV);
        }
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "memsync-" + user);
    }

    /**
     * The rendezvous folder of this name.
     *
     * @return the folder
     */
    public Path folder() {
        return folder;
    }

    private static void ensureFolder(Path dir) {
        try {
            if (Files.notExists(dir, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectories(dir.getParent());
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
                    Files.setPosixFilePermissions(dir, DIR_MODE);
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // created meanwhile by another process: checked below
                }
            }
            if (Files.isSymbolicLink(dir)) {
                throw unsafe(dir, "is a symbolic link");
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw unsafe(dir, "is not a directory");
            }
            String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
            String me = System.getProperty("user.name");
            if (me != null && !owner.equals(me)) {
                throw unsafe(dir, "is owned by " + owner + ", not by the current user " + me);
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            if (!DIR_MODE.containsAll(perms)) {
                throw unsafe(dir, "has mode " + PosixFilePermissions.toString(perms)
                        + "; it must be rwx------ (0700) so other users cannot read the host secret");
            }
            FileStore store = Files.getFileStore(dir);
            String type = store.type().toLowerCase(Locale.ROOT);
            if (UNRELIABLE_FS.contains(type) || type.startsWith("fuse") || type.startsWith("nfs") || type.startsWith("smb")) {
                throw unsafe(dir, "is on a " + store.type() + " file system, where file locks are not reliable");
            }
        } catch (UnsupportedOperationException e) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, "rendezvous folder " + dir
                    + ": the file system does not support POSIX permissions", e);
        } catch (IOException e) {
            throw new MemSyncException(MemSyncException.ERR_IO, "rendezvous folder " + dir + " cannot be used: " + e, e);
        }
    }

    private static MemSyncException unsafe(Path dir, String why) {
        return new MemSyncException(MemSyncException.ERR_CONFIG, "rendezvous folder " + dir + " " + why);
    }

    private Path lockKey() throws IOException {
        if (Files.notExists(lockFile)) {
            try {
                Files.createFile(lockFile, PosixFilePermissions.asFileAttribute(FILE_MODE));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // fine
            }
        }
        return lockFile.toRealPath();
    }

    @Override
    public Lease tryAcquire() throws IOException {
        synchronized (HELD) {
            Path key = lockKey();
            if (HELD.containsKey(key)) {
                return null;
            }
            FileChannel ch = FileChannel.open(key, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException | IOException e) {
                ch.close();
                return null;
            }
            if (lock == null) {
                ch.close();
                return null;
            }
            Object fileKey = Files.readAttributes(key, BasicFileAttributes.class).fileKey();
            HeldLock held = new HeldLock(key, ch, lock, fileKey);
            HELD.put(key, held);
            return held;
        }
    }

    @Override
    public boolean isHeld() throws IOException {
        synchronized (HELD) {
            Path key = lockKey();
            if (HELD.containsKey(key)) {
                return true;
            }
            try (FileChannel ch = FileChannel.open(key, StandardOpenOption.WRITE)) {
                FileLock lock = ch.tryLock();
                if (lock == null) {
                    return true;
                }
                lock.release();
                return false;
            } catch (OverlappingFileLockException e) {
                return true;
            }
        }
    }

    @Override
    public HostRecord read() throws IOException {
        if (Files.notExists(recordFile)) {
            return null;
        }
        String text;
        try {
            text = Files.readString(recordFile, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
        try (JsonReader r = JsonProviders.JSON.createReader(new StringReader(text))) {
            JsonObject o = r.readObject();
            List<HostRecord.Member> members = new ArrayList<>();
            for (JsonValue v : o.getJsonArray("members")) {
                JsonObject m = v.asJsonObject();
                members.add(new HostRecord.Member(m.getString("peerId"), m.getJsonNumber("pid").longValue(),
                        m.getJsonNumber("startTime").longValue(), m.getBoolean("writer")));
            }
            return new HostRecord(o.getString("endpoint"), o.getJsonNumber("term").longValue(),
                    o.getJsonNumber("version").longValue(), o.getString("secret"), members,
                    o.getJsonNumber("handoverVersion").longValue());
        } catch (JsonException | ClassCastException | NullPointerException e) {
            System.getLogger(FileRendezvous.class.getName()).log(System.Logger.Level.WARNING,
                    "ignoring unreadable host record " + recordFile + ": " + e);
            return null;
        }
    }

    private void write(HostRecord record) throws IOException {
        JsonArrayBuilder members = JsonProviders.JSON.createArrayBuilder();
        for (HostRecord.Member m : record.members()) {
            members.add(JsonProviders.JSON.createObjectBuilder().add("peerId", m.peerId()).add("pid", m.pid())
                    .add("startTime", m.startTime()).add("writer", m.writer()));
        }
        String text = JsonProviders.JSON.createObjectBuilder().add("endpoint", record.endpoint())
                .add("term", record.term()).add("version", record.version()).add("secret", record.secret())
                .add("members", members).add("handoverVersion", record.handoverVersion()).build().toString();
        Path tmp = Files.createTempFile(folder, "host.json.", ".tmp", PosixFilePermissions.asFileAttribute(FILE_MODE));
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, recordFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, recordFile, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public String toString() {
        return "FileRendezvous[" + folder + "]";
    }

    /** A held host lock. */
    private final class HeldLock implements Lease {
        private final Path key;
        private final FileChannel channel;
        private final FileLock lock;
        private final Object fileKey;
        private volatile boolean closed;

        HeldLock(Path key, FileChannel channel, FileLock lock, Object fileKey) {
            this.key = key;
            this.channel = channel;
            this.lock = lock;
            this.fileKey = fileKey;
        }

        @Override
        public void publish(HostRecord record) throws IOException {
            if (closed) {
                throw new IOException("lease on " + key + " was released");
            }
            write(record);
        }

        @Override
        public boolean isValid() {
            if (closed || !lock.isValid()) {
                return false;
            }
            try {
                Object now = Files.readAttributes(lockFile, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
                return Objects.equals(now, fileKey);
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public void close() {
            synchronized (HELD) {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    lock.release();
                } catch (IOException ignored) {
                    // closing the channel releases it anyway
                }
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing more to do
                }
                HELD.remove(key, this);
            }
        }
    }
}
