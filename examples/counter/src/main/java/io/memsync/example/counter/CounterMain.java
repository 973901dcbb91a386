package io.memsync.example.counter;

import io.helidon.microprofile.server.Server;

import jakarta.enterprise.inject.spi.CDI;

/**
 * Starts the counter service: a Helidon MP server on {@code server.host:server.port} (127.0.0.1:8080 unless
 * configured otherwise, {@code -Dserver.port=0} for any free port). The memsync extension starts the shared object
 * {@code counter} before the server serves: the first instance becomes its host, later ones join it.
 */
public final class CounterMain {
    private CounterMain() {
    }

    /**
     * Starts the server and prints one line saying where it listens and which role this process has.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Server server = Server.create().start();
        CounterResource counter = CDI.current().select(CounterResource.class).get();
        System.out.println("counter ready on http://127.0.0.1:" + server.port() + "/counter ("
                + counter.status().role() + " of \"" + CounterResource.NAME + "\", pid " + ProcessHandle.current().pid() + ")");
    }
}
