package io.memsync.storage.s3;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 protocol server in this JVM: s3proxy over jclouds' in-memory ("transient") blob store, on an ephemeral
 * loopback port, with AWS signature checking on. Each test takes its own bucket.
 */
final class S3Server implements AutoCloseable {
    static final String ACCESS_KEY = "memsync-test";
    static final String SECRET_KEY = "memsync-test-secret";
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final BlobStoreContext context;
    private S3Proxy proxy;
    private final URI endpoint;

    S3Server() throws Exception {
        context = ContextBuilder.newBuilder("transient").credentials("identity", "credential").build(BlobStoreContext.class);
        proxy = proxy(0);
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    private S3Proxy proxy(int port) throws Exception {
        S3Proxy p = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        p.start();
        return p;
    }

    /** Stops serving (the bucket becomes unreachable); the objects are kept. */
    void stopServing() throws Exception {
        proxy.stop();
    }

    /** Serves again on the same port, with the objects kept. */
    void serveAgain() throws Exception {
        proxy = proxy(endpoint.getPort());
    }

    /** @return the endpoint */
    URI endpoint() {
        return endpoint;
    }

    /**
     * Creates a fresh bucket.
     *
     * @return its name
     */
    String newBucket() {
        String name = "bucket-" + BUCKETS.incrementAndGet();
        context.getBlobStore().createContainerInLocation(null, name);
        return name;
    }

    /**
     * A location URI for a bucket, with endpoint and credentials in the query.
     *
     * @param bucket the bucket
     * @param prefix the key prefix
     * @return the location
     */
    String location(String bucket, String prefix) {
        return "s3://" + bucket + "/" + prefix + "?endpoint=" + endpoint + "&accessKeyId=" + ACCESS_KEY + "&secretAccessKey=" + SECRET_KEY;
    }

    /**
     * A client of this server, for tests to look at or damage objects.
     *
     * @return the client
     */
    S3Client client() {
        return S3StoreProvider.client(S3Settings.of(URI.create(location("x", ""))));
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
