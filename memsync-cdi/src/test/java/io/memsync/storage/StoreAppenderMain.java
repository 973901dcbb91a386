package io.memsync.storage;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;

/**
 * Child process of the kill -9 tests: {@code <location> <name> <term> [<durability>]} opens the store with that
 * {@link Durability} ({@code ALWAYS} when omitted; through {@link Storage#open}, so any store on the class path), prints {@code ready <pid> <last version>}, then
 * appends {@code entry <version>} records in term {@code <term>} forever (a snapshot {@code state <version>} whenever
 * one is due), printing {@code ack <version>} once each append's stage completed, until the test kills it.
 */
public final class StoreAppenderMain {
    private StoreAppenderMain() {
    }

    /**
     * Entry point.
     *
     * @param args location, name and term
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        long term = Long.parseLong(args[2]);
        Durability durability = args.length > 3 ? Durability.valueOf(args[3]) : Durability.ALWAYS;
        Store store = Storage.open(args[0], args[1], StoreOptions.builder().durability(durability)
                .snapshotEveryEntries(97).segmentBytes(8192).build());
        LoadedState loaded = store.load();
        synchronized (out) {
            out.println("ready " + ProcessHandle.current().pid() + " " + loaded.lastVersion());
            out.flush();
        }
        Semaphore inFlight = new Semaphore(64);
        for (long v = loaded.lastVersion() + 1; ; v++) {
            inFlight.acquire();
            long version = v;
            store.append(new LogRecord(term, v, ("entry " + v).getBytes(StandardCharsets.UTF_8))).whenComplete((ok, failure) -> {
                inFlight.release();
                if (failure == null) {
                    synchronized (out) {
                        out.println("ack " + version);
                        out.flush();
                    }
                }
            });
            if (store.snapshotDue()) {
                store.writeSnapshot(new SnapshotRecord(term, v, ("state " + v).getBytes(StandardCharsets.UTF_8)));
            }
        }
    }
}
