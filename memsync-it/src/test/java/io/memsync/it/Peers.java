package io.memsync.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The peer JVMs of one test, in a fresh rendezvous folder; every one is killed by pid after the test, whether it
 * passed or not. Register with {@code @RegisterExtension}.
 */
final class Peers implements AfterEachCallback {
    private final List<PeerProcess> started = new CopyOnWriteArrayList<>();
    private volatile Path rendezvous;

    /** May be called from several threads (a test may start processes in the background). */
    PeerProcess launch(String label) throws IOException {
        PeerProcess p = PeerProcess.launch(label, folder());
        started.add(p);
        return p;
    }

    /** Launches a CDI application ({@link io.memsync.it.cdi.CdiPeer}) with these JVM arguments. */
    PeerProcess launchCdi(String label, String... jvmArgs) throws IOException {
        PeerProcess p = PeerProcess.launchMain(label, folder(), io.memsync.it.cdi.CdiPeer.class.getName(), jvmArgs);
        started.add(p);
        return p;
    }

    private synchronized Path folder() throws IOException {
        if (rendezvous == null) {
            rendezvous = Files.createTempDirectory("memsync-it-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
        return rendezvous;
    }

    Path rendezvous() {
        return rendezvous;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        started.forEach(PeerProcess::close);
        started.clear();
        rendezvous = null;
    }

    static void signal(PeerProcess p, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + p.pid() + " failed");
        }
    }
}
