package io.memsync.storage.s3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import io.memsync.storage.Storage;
import io.memsync.storage.Store;
import io.memsync.storage.StoreContract;
import io.memsync.storage.StoreOptions;

import software.amazon.awssdk.services.s3.S3Client;

/** The store contract on the S3 store, against s3proxy, opened through the SPI from an {@code s3://} URI. */
class S3StoreContractTest extends StoreContract {
    private static S3Server server;
    private static S3Client client;
    private String bucket;

    @BeforeAll
    static void startServer() throws Exception {
        server = new S3Server();
        client = server.client();
    }

    @AfterAll
    static void stopServer() throws Exception {
        client.close();
        server.close();
    }

    @BeforeEach
    void freshBucket() {
        bucket = server.newBucket();
    }

    @Override
    protected Store openStore(StoreOptions options) {
        return Storage.open(server.location(bucket, "stores"), "doc", options);
    }

    @Override
    protected int segmentCount() {
        return count("stores/doc/log/");
    }

    @Override
    protected int snapshotCount() {
        return count("stores/doc/snapshot/");
    }

    private int count(String prefix) {
        return client.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).keyCount();
    }
}
