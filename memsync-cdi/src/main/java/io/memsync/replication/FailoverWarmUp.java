package io.memsync.replication;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Predicate;

/**
 * Runs, once per start of a replica and in the background, the code a failover runs first: the liveness checks of
 * the old term's members (reading {@code /proc}, probing a member's lock file). Their first run in a process costs milliseconds of class
 * loading and linking, which a new host (or a client whose host vanished) would otherwise pay in the stall. Failures
 * are only logged: this is an optimisation.
 */
final class FailoverWarmUp {
    private static final System.Logger LOG = System.getLogger(Replica.class.getName());

    /** Static methods only. */
    private FailoverWarmUp() {
    }

    /**
     * @param memberAlive the check a failover runs on each member
     * @param options     this replica's options (its process's pid and start time)
     * @param peerId      this replica's peer id
     */
    static void run(Predicate<HostRecord.Member> memberAlive, ReplicaOptions options, String peerId) {
        try {
            memberAlive.test(new HostRecord.Member(peerId, options.pid(), options.processStartTime(), true));
            // a member nobody registered: the lock-file probe's missing-file path
            memberAlive.test(new HostRecord.Member("warm-up-" + options.pid(), options.pid(), options.processStartTime(),
                    true));
            // and the probe's locking path, on a file of our own
            Path tmp = Files.createTempFile("memsync-warm-up-", ".lock");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                FileLock lock = ch.tryLock();
                if (lock != null) {
                    lock.release();
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> options.name() + ": failover warm-up failed (harmless): " + e);
        }
    }
}
