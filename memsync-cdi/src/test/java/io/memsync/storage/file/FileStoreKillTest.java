package io.memsync.storage.file;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

import io.memsync.MemSyncException;
import io.memsync.storage.StoreKillContract;
import io.memsync.storage.StoreOptions;

/**
 * The kill -9 test on the file store: {@code memsync.storage.kill.rounds} rounds under {@code ALWAYS} (20 by default,
 * 200 with {@code -Psoak}), a quarter of that under {@code BATCH} and {@code NONE} (5, 50); while the first child runs, another process cannot open the store and is told the child's pid.
 */
class FileStoreKillTest extends StoreKillContract {
    @TempDir
    Path base;

    @Override
    protected String location() {
        return base.toString();
    }

    @Override
    protected int rounds() {
        return Integer.getInteger("memsync.storage.kill.rounds", 20);
    }

    @Override
    protected void whileChildHoldsTheStore(long childPid) {
        assertThatThrownBy(() -> FileStore.open(base.resolve("doc"), StoreOptions.defaults())).isInstanceOf(MemSyncException.class)
                .hasMessageContaining("locked by another process").hasMessageContaining("pid " + childPid);
    }
}
