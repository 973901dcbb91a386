package io.memsync.storage.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;

import io.memsync.storage.Storage;
import io.memsync.storage.Store;
import io.memsync.storage.StoreContract;
import io.memsync.storage.StoreOptions;

/** The store contract on the file store, opened through the SPI from a plain path. */
class FileStoreContractTest extends StoreContract {
    @TempDir
    Path base;

    @Override
    protected Store openStore(StoreOptions options) {
        return Storage.open(base.toString(), "doc", options);
    }

    @Override
    protected int segmentCount() {
        return count("wal-");
    }

    @Override
    protected int snapshotCount() {
        return count("snapshot-");
    }

    private int count(String prefix) {
        try (Stream<Path> s = Files.list(base.resolve("doc"))) {
            return (int) s.filter(p -> p.getFileName().toString().startsWith(prefix) && !p.toString().endsWith(".tmp")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
