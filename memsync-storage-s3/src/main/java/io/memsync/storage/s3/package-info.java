/**
 * The S3 store: snapshots and log segments as objects in an S3-compatible bucket, written with conditional
 * {@code PutObject} ({@code If-None-Match: *}) so two processes can never both write one segment or snapshot key.
 * Served for {@code s3://bucket/prefix} locations by {@link io.memsync.storage.s3.S3StoreProvider}; configured by
 * {@link io.memsync.storage.s3.S3Settings}.
 *
 * <p>Internal to memsync: no compatibility is promised. Applications import only {@code io.memsync}.
 */
package io.memsync.storage.s3;
