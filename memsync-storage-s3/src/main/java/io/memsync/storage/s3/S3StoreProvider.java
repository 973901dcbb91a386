package io.memsync.storage.s3;

import java.net.URI;

import io.memsync.MemSyncException;
import io.memsync.storage.Store;
import io.memsync.storage.StorageProvider;
import io.memsync.storage.StoreOptions;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Serves {@code s3://bucket/prefix} locations (settings: {@link S3Settings}): the store of {@code name} lives
 * under the keys {@code <prefix>/<name>/}. Registered for {@link java.util.ServiceLoader} in
 * {@code META-INF/services/io.memsync.storage.StorageProvider}.
 */
public final class S3StoreProvider implements StorageProvider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public S3StoreProvider() {
    }

    @Override
    public String scheme() {
        return "s3";
    }

    /**
     * {@inheritDoc}
     *
     * @throws MemSyncException {@link MemSyncException#ERR_CONFIG} for bad settings (see {@link S3Settings}),
     *                          {@link MemSyncException#ERR_IO} when the bucket is unreachable (naming bucket and
     *                          endpoint), does not exist, or the store cannot be read
     */
    @Override
    public Store open(URI location, String name, StoreOptions options) {
        S3Settings settings = S3Settings.of(location);
        String root = (settings.prefix().isEmpty() ? "" : settings.prefix() + "/") + name + "/";
        String description = "s3://" + settings.bucket() + "/" + root.substring(0, root.length() - 1);
        return S3Store.open(client(settings), settings.bucket(), root, description, options);
    }

    /**
     * Builds the S3 client of some settings: the JDK's URL connection as HTTP client, the settings' timeout per
     * call (retries included), region, endpoint, addressing and credentials.
     *
     * @param settings the settings
     * @return the client
     */
    static S3Client client(S3Settings settings) {
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(settings.timeout().dividedBy(4))
                        .socketTimeout(settings.timeout()))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(settings.timeout())
                        .build())
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                .requestChecksumCalculation(settings.checksumsAlways() ? RequestChecksumCalculation.WHEN_SUPPORTED
                        : RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(settings.checksumsAlways() ? ResponseChecksumValidation.WHEN_SUPPORTED
                        : ResponseChecksumValidation.WHEN_REQUIRED);
        if (settings.endpoint() != null) {
            b.endpointOverride(settings.endpoint());
        }
        b.credentialsProvider(settings.accessKeyId() != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()))
                : DefaultCredentialsProvider.builder().build());
        return b.build();
    }
}
