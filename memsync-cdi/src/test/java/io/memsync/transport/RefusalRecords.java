package io.memsync.transport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects the records of {@link RefusalLog}'s logger (and of the transport's other loggers) while installed, so
 * tests can count refusal lines and look for exceptions.
 */
final class RefusalRecords extends Handler implements AutoCloseable {
    final List<LogRecord> refusals = new CopyOnWriteArrayList<>();
    final List<LogRecord> transport = new CopyOnWriteArrayList<>();
    // strong references: JUL holds loggers weakly, and a collected logger loses its handler
    private final Logger refusalLogger = Logger.getLogger(RefusalLog.class.getName());
    private final Logger transportLogger = Logger.getLogger(WsChannel.class.getName());

    RefusalRecords() {
        refusalLogger.addHandler(this);
        transportLogger.addHandler(this);
    }

    @Override
    public void publish(LogRecord r) {
        if (r.getLoggerName().equals(RefusalLog.class.getName())) {
            refusals.add(r);
        } else {
            transport.add(r);
        }
    }

    /** @return refusal lines whose text names the cause */
    long count(RefusalLog.Cause cause) {
        return refusals.stream().filter(r -> r.getMessage().contains("(" + cause.text() + ")")).count();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        refusalLogger.removeHandler(this);
        transportLogger.removeHandler(this);
    }
}
