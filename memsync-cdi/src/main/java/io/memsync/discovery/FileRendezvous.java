package io.memsync.discovery;

import io.memsync.document.JsonProviders;
import java.io.IOException;
import java.io.StringReader;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import io.memsync.MemSyncException;
import io.memsync.replication.Election;
import io.memsync.replication.HostRecord;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The default {@link Election}: a rendezvous folder per name with an OS file lock on {@code host.lock} and the
 * host record in {@code host.json}.
 *
 * <p><b>Folder.</b> {@code <base>/<name>}; the base is the constructor argument, else system property
 * {@value #DIR_PROPERTY}, else environment variable {@value #DIR_ENV}, else {@code $XDG_RUNTIME_DIR/memsync}
 * when {@code XDG_RUNTIME_DIR} names a directory of the current user that nobody else may write to (the per-user
 * runtime folder of a login session: no other user can create anything in it), else
 * {@code ${java.io.tmpdir}/memsync-<user>}. Every process of one network must resolve the same base: processes
 * started with and without {@code XDG_RUNTIME_DIR} (a login shell and a system service, say) do not meet unless
 * the base is set explicitly.
 *
 * <p>Missing folders are created with mode 0700. An existing folder that is a symbolic link, not a directory, not
 * owned by the current user, open to group or others, or on a network or FUSE file system (where locks are
 * unreliable) is refused with {@code ERR_CONFIG} naming it, its owner and mode, and the fix. Under the shared temp
 * folder another user can create {@code memsync-<user>} first; that is then refused (never used), and the message
 * says to remove it or to choose another base.
 *
 * <p><b>Lock.</b> {@code host.lock} is never deleted. The host holds an exclusive {@link FileChannel#tryLock()}
 * on it. A JDK file lock is released when <em>any</em> channel on the file in the JVM is closed, so within a JVM
 * the file is opened only by the holder: a static per-JVM registry of held locks (by real path) answers
 * {@link #isHeld()} and refuses {@link #tryAcquire()} without opening the file. From another process,
 * {@link #isHeld()} probes: it tries the lock and releases it at once — done only when this JVM holds no lock on
 * that file, so it can never drop the holder's lock; the short probe may make a concurrent {@code tryAcquire} of
 * another process fail once, which is harmless (it retries). The lock, not {@code host.json}, decides who is
 * host: a stale {@code host.json} left by a crashed host is simply overwritten by the next one.
 *
 * <p><b>Record.</b> {@code host.json} (mode 0600) is written to a temporary file and moved into place with
 * {@link StandardCopyOption#ATOMIC_MOVE}, so readers see the old or the new record, never a mix.
 */
public final class FileRendezvous implements Election {
    /** System property naming the base folder. */
    public static final String DIR_PROPERTY = "memsync.rendezvous.dir";
    /** Environment variable naming the base folder. */
    public static final String DIR_ENV = "MEMSYNC_RENDEZVOUS_DIR";
    /** The lock file's name. */
    public static final String LOCK_FILE = "host.lock";
    /** The record file's name. */
    public static final String RECORD_FILE = "host.json";

    private static final System.Logger LOG = System.getLogger(FileRendezvous.class.getName());
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final List<String> REFUSED_FS = List.of("nfs", "cifs", "smb", "fuse", "sshfs", "9p", "afs", "ceph",
            "glusterfs", "lustre", "gpfs", "davfs", "vboxsf", "vmhgfs", "virtiofs");
    /** Locks held in this JVM, by real path of the lock file. */
    private static final ConcurrentHashMap<Path, HeldLock> HELD = new ConcurrentHashMap<>();
    /** Running replicas' locks held in this JVM, by path (never probed from this JVM: see the class comment). */
    private static final ConcurrentHashMap<Path, HeldLock> RUNNING = new ConcurrentHashMap<>();
    /** What a peer id may hold (they are URL-safe Base64): it becomes part of a file name. */
    private static final java.util.regex.Pattern PEER_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final String name;
    private final Path dir;
    private final Path lockFile;
    private final Path recordFile;

    /**
     * A rendezvous in the default base folder (property, environment, then temp dir).
     *
     * @param name the shared object's name (a single path segment)
     * @throws MemSyncException {@code ERR_CONFIG} when the folder is unsafe, {@code ERR_IO} when it cannot be created
     */
    public FileRendezvous(String name) {
        this(name, null);
    }

    /**
     * A rendezvous in a given base folder.
     *
     * @param name    the shared object's name (a single path segment)
     * @param baseDir the base folder, or {@code null} for the default
     * @throws MemSyncException {@code ERR_CONFIG} when the folder is unsafe, {@code ERR_IO} when it cannot be created
     */
    public FileRendezvous(String name, Path baseDir) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")
                || name.indexOf('\0') >= 0) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, "invalid shared object name for a rendezvous folder: '" + name + "'");
        }
        this.name = name;
        Path base = baseDir != null ? baseDir : defaultBase();
        this.dir = base.toAbsolutePath().normalize().resolve(name);
        ensureDir(base.toAbsolutePath().normalize());
        ensureDir(dir);
        this.lockFile = dir.resolve(LOCK_FILE);
        this.recordFile = dir.resolve(RECORD_FILE);
    }

    /** The folder under {@code $XDG_RUNTIME_DIR} that holds the rendezvous folders. */
    static final String XDG_SUBDIR = "memsync";

    /**
     * The default base folder.
     *
     * @return the base folder (not yet checked)
     */
    public static Path defaultBase() {
        return defaultBase(System.getProperty(DIR_PROPERTY), System.getenv(DIR_ENV), System.getenv("XDG_RUNTIME_DIR"),
                System.getProperty("java.io.tmpdir"));
    }

    /**
     * The default base folder from given settings (see the class comment for the order).
     *
     * @param property   the system property {@value #DIR_PROPERTY}, or {@code null}
     * @param env        the environment variable {@value #DIR_ENV}, or {@code null}
     * @param xdgRuntime the environment variable {@code XDG_RUNTIME_DIR}, or {@code null}
     * @param tmp        the temp folder
     * @return the base folder (not yet checked)
     */
    static Path defaultBase(String property, String env, String xdgRuntime, String tmp) {
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        if (xdgRuntime != null && !xdgRuntime.isBlank()) {
            Path xdg = Path.of(xdgRuntime);
            String problem = xdgProblem(xdg);
            if (problem == null) {
                return xdg.resolve(XDG_SUBDIR);
            }
            LOG.log(Level.DEBUG, () -> "XDG_RUNTIME_DIR " + xdg + " " + problem + "; using the temp folder for rendezvous");
        }
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(tmp, "memsync-" + user);
    }

    /** Why {@code $XDG_RUNTIME_DIR} cannot hold the base, or {@code null} when it can. */
    private static String xdgProblem(Path xdg) {
        if (!xdg.isAbsolute()) {
            return "is not an absolute path";
        }
        try {
            PosixFileAttributes a = Files.getFileAttributeView(xdg, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes();
            if (!a.isDirectory()) {
                return "is not a directory";
            }
            String me = System.getProperty("user.name");
            if (me != null && !a.owner().getName().equals(me)) {
                return "is owned by " + a.owner().getName() + ", not by " + me;
            }
            if (a.permissions().contains(PosixFilePermission.GROUP_WRITE) || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
                return "is writable by group or others";
            }
            return null;
        } catch (IOException | UnsupportedOperationException e) {
            return "cannot be read (" + e + ")";
        }
    }

    /**
     * The rendezvous folder.
     *
     * @return {@code <base>/<name>}
     */
    public Path dir() {
        return dir;
    }

    private static void ensureDir(Path d) {
        try {
            if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
                Path parent = d.getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                try {
                    Files.createDirectory(d, PosixFilePermissions.asFileAttribute(DIR_MODE));
                } catch (java.nio.file.FileAlreadyExistsException ignored) {
                    // created concurrently; checked below
                }
                Files.setPosixFilePermissions(d, DIR_MODE); // umask may have narrowed/widened it
            }
            check(d);
        } catch (MemSyncException e) {
            throw e;
        } catch (UnsupportedOperationException e) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, "rendezvous folder " + d + " is not on a POSIX file system", e);
        } catch (IOException e) {
            throw new MemSyncException(MemSyncException.ERR_IO, "cannot create rendezvous folder " + d + ": " + e, e);
        }
    }

    private static void check(Path d) throws IOException {
        if (Files.isSymbolicLink(d)) {
            String target;
            try {
                target = Files.readSymbolicLink(d).toString();
            } catch (IOException e) {
                target = "?";
            }
            throw refuse(d, "is a symbolic link (to " + target + ", owned by " + ownerOf(d) + ")");
        }
        PosixFileAttributes a = Files.getFileAttributeView(d, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .readAttributes();
        if (!a.isDirectory()) {
            throw refuse(d, "is not a directory (owned by " + a.owner().getName() + ")");
        }
        String me = System.getProperty("user.name");
        String owner = a.owner().getName();
        if (me != null && !owner.equals(me)) {
            throw refuse(d, "is owned by " + owner + ", not by the current user " + me
                    + " (another user may have created it before memsync did)");
        }
        Set<PosixFilePermission> extra = EnumSet.copyOf(a.permissions());
        extra.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
        if (!extra.isEmpty()) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, "rendezvous folder " + d + " (owned by " + owner
                    + ") has mode " + PosixFilePermissions.toString(a.permissions()) + "; it must be rwx------ (0700): "
                    + "run 'chmod 700 " + d + "' if it is meant for memsync, or remove it, or " + CHOOSE_ANOTHER);
        }
        FileStore store = Files.getFileStore(d);
        String type = store.type().toLowerCase(Locale.ROOT);
        for (String bad : REFUSED_FS) {
            if (type.startsWith(bad) || type.contains("fuse")) {
                throw new MemSyncException(MemSyncException.ERR_CONFIG, "rendezvous folder " + d + " is on a " + store.type()
                        + " file system, where file locks are not reliable: " + CHOOSE_ANOTHER + " on a local file system");
            }
        }
    }

    /** The fix every refusal of a folder offers. */
    private static final String CHOOSE_ANOTHER = "choose another base folder with the rendezvous option (builder "
            + "rendezvous(Path), MicroProfile Config memsync.rendezvous.dir, system property " + DIR_PROPERTY
            + " or environment variable " + DIR_ENV + ")";

    private static String ownerOf(Path p) {
        try {
            return Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
        } catch (IOException | UnsupportedOperationException e) {
            return "?";
        }
    }

    private static MemSyncException refuse(Path d, String problem) {
        return new MemSyncException(MemSyncException.ERR_CONFIG, "rendezvous folder " + d + " " + problem
                + ": memsync will not use it; remove it (as its owner or root), or " + CHOOSE_ANOTHER);
    }

    private Path realLock() throws IOException {
        if (!Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createFile(lockFile, PosixFilePermissions.asFileAttribute(FILE_MODE));
            } catch (java.nio.file.FileAlreadyExistsException ignored) {
                // another process created it
            }
        }
        if (Files.isSymbolicLink(lockFile)) {
            throw new MemSyncException(MemSyncException.ERR_CONFIG, "lock file " + lockFile + " is a symbolic link");
        }
        return lockFile.toRealPath();
    }

    @Override
    public Lease tryAcquire() throws IOException {
        check(dir);
        Path real = realLock();
        // compute() serializes attempts on this path inside the JVM, so no second channel is ever opened while held
        HeldLock[] won = new HeldLock[1];
        IOException[] failed = new IOException[1];
        HELD.compute(real, (k, held) -> {
            if (held != null) {
                return held; // this JVM holds it already
            }
            FileChannel ch = null;
            try {
                ch = FileChannel.open(real, StandardOpenOption.WRITE);
                FileLock lock = ch.tryLock();
                if (lock == null) {
                    ch.close();
                    return null;
                }
                Object key = Files.readAttributes(real, BasicFileAttributes.class).fileKey();
                won[0] = new HeldLock(real, ch, lock, key);
                return won[0];
            } catch (OverlappingFileLockException e) {
                closeQuietly(ch);
                return null;
            } catch (IOException e) {
                closeQuietly(ch);
                failed[0] = e;
                return null;
            }
        });
        if (failed[0] != null) {
            throw failed[0];
        }
        if (won[0] == null) {
            return null;
        }
        LOG.log(Level.DEBUG, () -> "acquired host lease for '" + name + "' at " + real);
        return new FileLease(won[0]);
    }

    @Override
    public boolean isHeld() throws IOException {
        check(dir);
        if (!Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Path real = lockFile.toRealPath();
        boolean[] held = new boolean[1];
        IOException[] failed = new IOException[1];
        HELD.compute(real, (k, mine) -> {
            if (mine != null) {
                held[0] = true;
                return mine;
            }
            // nobody in this JVM holds it, so opening and closing a channel cannot release a lock of ours
            try (FileChannel ch = FileChannel.open(real, StandardOpenOption.WRITE)) {
                FileLock probe = ch.tryLock();
                held[0] = probe == null;
                if (probe != null) {
                    probe.release();
                }
            } catch (OverlappingFileLockException e) {
                held[0] = true;
            } catch (IOException e) {
                failed[0] = e;
            }
            return null;
        });
        if (failed[0] != null) {
            throw failed[0];
        }
        return held[0];
    }

    @Override
    public HostRecord read() throws IOException {
        String text;
        try {
            text = Files.readString(recordFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            return parse(text);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ignoring unreadable host record " + recordFile + ": " + e);
            return null;
        }
    }

    static String format(HostRecord r) {
        JsonArrayBuilder members = JsonProviders.JSON.createArrayBuilder();
        for (HostRecord.Member m : r.members()) {
            members.add(JsonProviders.JSON.createObjectBuilder().add("peerId", m.peerId()).add("pid", m.pid())
                    .add("startTime", m.startTime()).add("writer", m.writer()));
        }
        var record = JsonProviders.JSON.createObjectBuilder()
                .add("endpoint", r.endpoint())
                .add("term", r.term())
                .add("version", r.version())
                .add("secret", r.secret())
                .add("members", members)
                .add("handoverVersion", r.handoverVersion());
        if (r.maxWriters() != Integer.MAX_VALUE) {
            record.add("maxWriters", r.maxWriters());
        }
        return record.build().toString();
    }

    static HostRecord parse(String text) {
        JsonObject o;
        try (var reader = JsonProviders.JSON.createReader(new StringReader(text))) {
            o = reader.readObject();
        }
        List<HostRecord.Member> members = new ArrayList<>();
        for (JsonValue v : o.getJsonArray("members")) {
            JsonObject m = v.asJsonObject();
            members.add(new HostRecord.Member(((JsonString) m.get("peerId")).getString(), num(m, "pid"),
                    num(m, "startTime"), m.getBoolean("writer")));
        }
        return new HostRecord(o.getString("endpoint"), num(o, "term"), num(o, "version"), o.getString("secret"),
                members, num(o, "handoverVersion"),
                o.containsKey("maxWriters") ? (int) num(o, "maxWriters") : Integer.MAX_VALUE);
    }

    private static long num(JsonObject o, String key) {
        return ((JsonNumber) o.get(key)).longValueExact();
    }

    /**
     * Marks a replica running with a lock on {@code peer-<id>.lock} in the rendezvous folder, held until closed.
     * The file is locked under a temporary name and then renamed into place, so a probe never finds it unlocked
     * while its replica runs.
     */
    @Override
    public Registration register(String peerId) throws IOException {
        check(dir);
        Path file = peerFile(peerId);
        Path tmp = dir.resolve(".peer-" + peerId + "." + ThreadLocalRandom.current().nextLong(Long.MAX_VALUE) + ".tmp");
        FileChannel ch = FileChannel.open(tmp, java.util.EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(FILE_MODE));
        try {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                throw new IOException("cannot lock " + tmp);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            HeldLock held = new HeldLock(file, ch, lock, null);
            RUNNING.put(file, held);
            return () -> {
                if (RUNNING.remove(file, held)) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException e) {
                        LOG.log(Level.DEBUG, () -> "cannot delete " + file + ": " + e);
                    }
                    closeQuietly(ch);
                }
            };
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /**
     * A replica runs while its {@code peer-<id>.lock} is locked: by this JVM (known without opening the file), or by
     * another process (the probe cannot get the lock). A file whose lock the probe gets was left by a process that
     * died; it is removed.
     */
    @Override
    public boolean isRunning(String peerId) throws IOException {
        Path file = peerFile(peerId);
        if (RUNNING.containsKey(file)) {
            return true;
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            return false;
        }
        try (ch) {
            FileLock probe = ch.tryLock();
            if (probe == null) {
                return true;
            }
            Files.deleteIfExists(file);
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        }
    }

    private Path peerFile(String peerId) {
        if (!PEER_ID.matcher(peerId).matches()) {
            throw new MemSyncException(MemSyncException.ERR_PROTOCOL, "malformed peer id '" + peerId + "'");
        }
        return dir.resolve("peer-" + peerId + ".lock");
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    @Override
    public String toString() {
        return "FileRendezvous[" + dir + "]";
    }

    private record HeldLock(Path real, FileChannel channel, FileLock lock, Object fileKey) {
    }

    /** The host role: holds the lock until closed. */
    private final class FileLease implements Lease {
        private final HeldLock held;
        private volatile boolean closed;

        FileLease(HeldLock held) {
            this.held = held;
        }

        @Override
        public void publish(HostRecord record) throws IOException {
            if (!isValid()) {
                throw new IOException("host lease for '" + name + "' is no longer valid; not publishing");
            }
            byte[] bytes = format(record).getBytes(StandardCharsets.UTF_8);
            Path tmp = dir.resolve(RECORD_FILE + "." + ProcessHandle.current().pid() + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                // created 0600 before the secret is written into it; not forced to disk: after an OS crash the
                // lock, not this file, decides who hosts, and a publish must not cost a disk flush at failover
                Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(FILE_MODE));
                Files.write(tmp, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                Files.move(tmp, recordFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.deleteIfExists(tmp);
                throw new MemSyncException(MemSyncException.ERR_CONFIG, "rendezvous folder " + dir + " does not support atomic rename", e);
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
        }

        @Override
        public boolean isValid() {
            if (closed || !held.lock().isValid() || HELD.get(held.real()) != held) {
                return false;
            }
            try {
                Object key = Files.readAttributes(lockFile, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
                return Objects.equals(key, held.fileKey());
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            HELD.computeIfPresent(held.real(), (k, v) -> {
                if (v == held) {
                    try {
                        held.lock().release();
                    } catch (IOException e) {
                        LOG.log(Level.DEBUG, () -> "release of " + held.real() + " failed: " + e);
                    }
                    closeQuietly(held.channel());
                    return null;
                }
                return v;
            });
        }
    }
}
