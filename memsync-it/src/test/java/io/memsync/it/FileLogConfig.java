package io.memsync.it;

import java.io.IOException;
import java.util.logging.FileHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * JUL configuration for a peer JVM whose log a test reads: started with
 * {@code -Djava.util.logging.config.class=io.memsync.it.FileLogConfig -Dmemsync.it.log.file=<path>} (the class
 * property wins over the {@code config.file} that {@link PeerProcess} always passes), it writes every record of
 * level INFO and above to that file, one line each (plus the stack trace of a record that has one).
 */
public final class FileLogConfig {
    /**
     * Installs the file handler on the root logger.
     *
     * @throws IOException when the file cannot be opened
     */
    public FileLogConfig() throws IOException {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$s %3$s %5$s%6$s%n");
        FileHandler file = new FileHandler(System.getProperty("memsync.it.log.file"), false);
        file.setFormatter(new SimpleFormatter());
        file.setLevel(Level.INFO);
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        root.addHandler(file);
    }
}
