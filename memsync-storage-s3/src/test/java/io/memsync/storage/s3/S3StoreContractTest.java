package io.memsync.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.memsync.storage.Durability;

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

    @Test
    void batchAcknowledgesAfterTheUploadOfTheGroup() {
        // a 1 s window: the first append after a quiet second uploads at once, the next ones form one group
        Store s = open(StoreOptions.builder().durability(Durability.BATCH).batchWindow(Duration.ofSeconds(1)).build());
        join(s.append(rec(1, 1)));
        assertThat(segmentCount()).as("the acknowledged record is in S3").isEqualTo(1);
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        for (long v = 2; v <= 100; v++) {
            stages.add(s.append(rec(1, v)));
        }
        join(stages.get(stages.size() - 1));
        assertThat(stages).allMatch(CompletableFuture::isDone);
        assertThat(segmentCount()).as("99 appends within one window share an upload or two").isBetween(2, 3);
    }

    private int count(String prefix) {
        return client.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).keyCount();
    }
}
