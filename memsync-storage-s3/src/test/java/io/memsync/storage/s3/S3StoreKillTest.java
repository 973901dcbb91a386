package io.memsync.storage.s3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import io.memsync.storage.StoreKillContract;

/**
 * The kill -9 test on the S3 store: the child JVM appends to s3proxy running in this JVM, and is killed;
 * {@code memsync.storage.kill.rounds} rounds under {@code ALWAYS} (5 by default, 50 with {@code -Psoak}: each round
 * uploads hundreds of objects), a quarter of that, at least 2, under {@code BATCH} and {@code NONE} (2, 12).
 */
class S3StoreKillTest extends StoreKillContract {
    private static S3Server server;
    private String bucket;

    @BeforeAll
    static void startServer() throws Exception {
        server = new S3Server();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void freshBucket() {
        bucket = server.newBucket();
    }

    @Override
    protected String location() {
        return server.location(bucket, "kill");
    }

    @Override
    protected int rounds() {
        return Integer.getInteger("memsync.storage.kill.rounds", 5);
    }
}
