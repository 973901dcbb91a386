package io.memsync.cli;

import io.memsync.MemSync;
import io.memsync.SharedObject;

/** The HTTP options of {@link TestHost} (filled in with the HTTP safety options). */
final class HttpOptions {
    private HttpOptions() {
    }

    static void apply(MemSync.Builder b, String option) {
        throw new IllegalArgumentException("unknown option " + option);
    }

    static int port(SharedObject<?> so) {
        return -1;
    }
}
