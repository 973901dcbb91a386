package io.memsync.discovery;

import java.nio.file.Path;
import java.util.List;

import io.memsync.replication.Election;
import io.memsync.replication.HostRecord;

/** Child-process helper: {@code <base> <name>} tries the lease once, prints ACQUIRED or BUSY, then waits to be killed. */
public final class LockMain {
    private LockMain() {
    }

    /**
     * Entry point.
     *
     * @param args base folder and name
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        FileRendezvous r = new FileRendezvous(args[1], Path.of(args[0]));
        Election.Lease lease = r.tryAcquire();
        if (lease != null) {
            lease.publish(new HostRecord("ws://127.0.0.1:1/memsync", 1, 0, "c2VjcmV0", List.of(
                    new HostRecord.Member("p", ProcessHandle.current().pid(), 0, true)), -1));
            System.out.println("ACQUIRED " + ProcessHandle.current().pid());
        } else {
            System.out.println("BUSY");
        }
        System.out.flush();
        new java.util.concurrent.CountDownLatch(1).await(); // until the test kills this process
    }
}
