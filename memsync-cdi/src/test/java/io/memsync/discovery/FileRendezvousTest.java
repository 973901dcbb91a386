package io.memsync.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.memsync.MemSyncException;
import io.memsync.replication.Election;
import io.memsync.replication.HostRecord;
import io.memsync.transport.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRendezvousTest {
    @TempDir
    Path base;

    private static HostRecord record(long term, int members) {
        List<HostRecord.Member> ms = new java.util.ArrayList<>();
        for (int i = 0; i < members; i++) {
            ms.add(new HostRecord.Member("peer-" + i, 1000 + i, 1_700_000_000_000L + i, i % 2 == 0));
        }
        return new HostRecord("ws://127.0.0.1:4000/memsync", term, term * 10, "c2VjcmV0LQ==", ms, -1);
    }

    @Test
    void createsPrivateFolderAndFiles() throws Exception {
        FileRendezvous r = new FileRendezvous("doc", base.resolve("b"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(r.dir()))).isEqualTo("rwx------");
        try (Election.Lease l = r.tryAcquire()) {
            l.publish(record(1, 1));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(r.dir().resolve("host.json")))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(r.dir().resolve("host.lock")))).isEqualTo("rw-------");
        }
        assertThat(Files.exists(r.dir().resolve("host.lock"))).isTrue();
    }

    @Test
    void publishReadRoundTrip() throws Exception {
        FileRendezvous r = new FileRendezvous("doc", base);
        assertThat(r.read()).isNull();
        try (Election.Lease l = r.tryAcquire()) {
            HostRecord rec = record(7, 3);
            l.publish(rec);
            assertThat(r.read()).isEqualTo(rec);
            assertThat(new FileRendezvous("doc", base).read()).isEqualTo(rec);
        }
    }

    @Test
    void garbageRecordReadsAsNull() throws Exception {
        FileRendezvous r = new FileRendezvous("doc", base);
        Files.writeString(r.dir().resolve("host.json"), "{\"endpoint\":\"ws://x\",\"ter");
        assertThat(r.read()).isNull();
    }

    @Test
    void secondInstanceInSameJvmCannotAcquireAndIsHeldDoesNotBreakTheLock() throws Exception {
        FileRendezvous a = new FileRendezvous("doc", base);
        FileRendezvous b = new FileRendezvous("doc", base);
        assertThat(b.isHeld()).isFalse();
        Election.Lease la = a.tryAcquire();
        assertThat(la).isNotNull();
        assertThat(b.tryAcquire()).isNull();
        assertThat(a.tryAcquire()).isNull();
        for (int i = 0; i < 5; i++) {
            assertThat(b.isHeld()).isTrue();
            assertThat(a.isHeld()).isTrue();
        }
        assertThat(la.isValid()).isTrue();
        // another process must still see it held after our probes
        try (ChildJvm child = ChildJvm.start(LockMain.class, base.toString(), "doc")) {
            assertThat(child.await("", 30)).isEqualTo("BUSY");
        }
        la.close();
        la.close();
        assertThat(la.isValid()).isFalse();
        assertThat(b.isHeld()).isFalse();
        try (Election.Lease lb = b.tryAcquire()) {
            assertThat(lb).isNotNull();
        }
    }

    @Test
    void replacedLockFileInvalidatesLease() throws Exception {
        FileRendezvous r = new FileRendezvous("doc", base);
        try (Election.Lease l = r.tryAcquire()) {
            assertThat(l.isValid()).isTrue();
            Path lock = r.dir().resolve("host.lock");
            Path other = r.dir().resolve("other");
            Files.createFile(other);
            Files.move(other, lock, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThat(l.isValid()).isFalse();
            assertThatThrownBy(() -> l.publish(record(1, 1))).hasMessageContaining("no longer valid");
        }
    }

    @Test
    void twoProcessesRaceOnlyOneWinsAndKill9ReleasesAtOnce() throws Exception {
        try (ChildJvm a = ChildJvm.start(LockMain.class, base.toString(), "race");
             ChildJvm b = ChildJvm.start(LockMain.class, base.toString(), "race")) {
            String ra = a.await("", 30);
            String rb = b.await("", 30);
            assertThat(List.of(ra.split(" ")[0], rb.split(" ")[0])).containsExactlyInAnyOrder("ACQUIRED", "BUSY");
            ChildJvm holder = ra.startsWith("ACQUIRED") ? a : b;
            FileRendezvous me = new FileRendezvous("race", base);
            assertThat(me.isHeld()).isTrue();
            assertThat(me.tryAcquire()).isNull();
            assertThat(me.read().members().getFirst().pid()).isEqualTo(holder.pid());
            AtomicReference<Election.Lease> won = new AtomicReference<>();
            long t0 = System.nanoTime();
            holder.kill9();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> {
                Election.Lease l = me.tryAcquire();
                won.set(l);
                return l != null;
            });
            System.out.printf("lease free for another process %.1f ms after kill -9 of the holder%n", (System.nanoTime() - t0) / 1e6);
            // the stale host.json of the dead host does not matter: we hold the lock and overwrite it
            won.get().publish(record(2, 1));
            assertThat(me.read().term()).isEqualTo(2);
            won.get().close();
        }
    }

    @Test
    void atomicPublishUnderConcurrentReaders() throws Exception {
        FileRendezvous r = new FileRendezvous("doc", base);
        try (Election.Lease l = r.tryAcquire()) {
            l.publish(record(1, 50));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger reads = new AtomicInteger();
            AtomicInteger bad = new AtomicInteger();
            List<Thread> readers = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                readers.add(Thread.ofPlatform().start(() -> {
                    FileRendezvous rr = new FileRendezvous("doc", base);
                    while (!stop.get()) {
                        try {
                            HostRecord h = rr.read();
                            if (h == null || h.members().size() != 50 || h.version() != h.term() * 10) {
                                bad.incrementAndGet();
                            }
                            reads.incrementAndGet();
                        } catch (Exception e) {
                            bad.incrementAndGet();
                        }
                    }
                }));
            }
            for (int t = 2; t < 500; t++) {
                l.publish(record(t, 50));
            }
            stop.set(true);
            for (Thread t : readers) {
                t.join();
            }
            assertThat(reads.get()).isPositive();
            assertThat(bad.get()).isZero();
            try (var files = Files.list(r.dir())) {
                assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder("host.lock", "host.json");
            }
        }
    }

    @Test
    void openFolderIsRefusedNamingIt() throws Exception {
        Path d = base.resolve("open");
        Files.createDirectories(d);
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> new FileRendezvous("open", base))
                .isInstanceOfSatisfying(MemSyncException.class, e -> assertThat(e.code()).isEqualTo(MemSyncException.ERR_CONFIG))
                .hasMessageContaining(d.toString())
                .hasMessageContaining("rwxr-xr-x");
    }

    @Test
    void symlinkFolderIsRefused() throws Exception {
        Path real = base.resolve("real");
        Files.createDirectory(real, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createSymbolicLink(base.resolve("link"), real);
        assertThatThrownBy(() -> new FileRendezvous("link", base))
                .isInstanceOf(MemSyncException.class)
                .hasMessageContaining("symbolic link")
                .hasMessageContaining(base.resolve("link").toString());
    }

    @Test
    void notADirectoryIsRefusedAndBadNamesToo() throws Exception {
        Files.writeString(base.resolve("file"), "x");
        assertThatThrownBy(() -> new FileRendezvous("file", base)).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> new FileRendezvous("../x", base)).isInstanceOf(MemSyncException.class);
    }

    @Test
    void systemPropertyOverridesTheBase() {
        String old = System.getProperty(FileRendezvous.DIR_PROPERTY);
        System.setProperty(FileRendezvous.DIR_PROPERTY, base.resolve("prop").toString());
        try {
            assertThat(new FileRendezvous("doc").dir()).isEqualTo(base.resolve("prop").resolve("doc"));
        } finally {
            if (old == null) {
                System.clearProperty(FileRendezvous.DIR_PROPERTY);
            } else {
                System.setProperty(FileRendezvous.DIR_PROPERTY, old);
            }
        }
    }

    private static final int NOBODY = 65534;

    /** Gives {@code p} to uid 65534 (nobody), as another user pre-creating the folder would own it; needs root. */
    private static void giveToAnotherUser(Path p) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "changing a folder's owner needs root");
        Files.setAttribute(p, "unix:uid", NOBODY, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void aBaseFolderPreCreatedByAnotherUserIsRefusedNamingItItsOwnerAndTheFix() throws Exception {
        Path victim = base.resolve("memsync-victim");
        Files.createDirectory(victim, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        giveToAnotherUser(victim);
        String owner = Files.getOwner(victim).getName();
        assertThatThrownBy(() -> new FileRendezvous("doc", victim))
                .isInstanceOfSatisfying(MemSyncException.class, e -> assertThat(e.code()).isEqualTo(MemSyncException.ERR_CONFIG))
                .hasMessageContaining(victim.toString())
                .hasMessageContaining("owned by " + owner)
                .hasMessageContaining("remove it")
                .hasMessageContaining(FileRendezvous.DIR_PROPERTY);
        assertThat(Files.exists(victim.resolve("doc"))).as("nothing is created inside the refused folder").isFalse();
    }

    @Test
    void aWorldWritableBaseFolderIsRefusedWithTheChmodFix() throws Exception {
        Path open = base.resolve("open-base");
        Files.createDirectory(open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> new FileRendezvous("doc", open))
                .isInstanceOfSatisfying(MemSyncException.class, e -> assertThat(e.code()).isEqualTo(MemSyncException.ERR_CONFIG))
                .hasMessageContaining(open.toString())
                .hasMessageContaining("rwxrwxrwx")
                .hasMessageContaining("chmod 700 " + open);
    }

    @Test
    void theDefaultBaseIsUnderXdgRuntimeDirWhenItIsSetAndPrivate() throws Exception {
        Path xdg = base.resolve("run-user");
        Files.createDirectory(xdg, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path chosen = FileRendezvous.defaultBase(null, null, xdg.toString(), base.resolve("tmp").toString());
        assertThat(chosen).isEqualTo(xdg.resolve(FileRendezvous.XDG_SUBDIR));
        FileRendezvous r = new FileRendezvous("doc", chosen);
        assertThat(r.dir()).isEqualTo(xdg.resolve("memsync").resolve("doc"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(chosen))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(r.dir()))).isEqualTo("rwx------");
        // the explicit settings still win, property first
        assertThat(FileRendezvous.defaultBase("/p", "/e", xdg.toString(), "/tmp")).isEqualTo(Path.of("/p"));
        assertThat(FileRendezvous.defaultBase(null, "/e", xdg.toString(), "/tmp")).isEqualTo(Path.of("/e"));
        // unset: the per-user folder under the temp folder
        String user = System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_");
        assertThat(FileRendezvous.defaultBase(null, null, null, "/tmp")).isEqualTo(Path.of("/tmp", "memsync-" + user));
    }

    @Test
    void anXdgRuntimeDirOfAnotherUserOrOpenToOthersIsNotUsed() throws Exception {
        String user = System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_");
        Path tmp = base.resolve("tmp");
        Path shared = base.resolve("shared-run");
        Files.createDirectory(shared);
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(FileRendezvous.defaultBase(null, null, shared.toString(), tmp.toString())).isEqualTo(tmp.resolve("memsync-" + user));
        assertThat(FileRendezvous.defaultBase(null, null, base.resolve("missing").toString(), tmp.toString()))
                .isEqualTo(tmp.resolve("memsync-" + user));
        Path others = base.resolve("other-run");
        Files.createDirectory(others, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        giveToAnotherUser(others);
        assertThat(FileRendezvous.defaultBase(null, null, others.toString(), tmp.toString())).isEqualTo(tmp.resolve("memsync-" + user));
    }
}
