package io.memsync.document;

import jakarta.json.spi.JsonProvider;

/**
 * The JSON-P provider, looked up once. {@code jakarta.json.Json}'s static methods look the provider up on every
 * call (tens of microseconds each), so every hot path in memsync uses {@link #JSON} instead.
 */
public final class JsonProviders {
    /** The provider. */
    public static final JsonProvider JSON = JsonProvider.provider();

    private JsonProviders() {
    }
}
