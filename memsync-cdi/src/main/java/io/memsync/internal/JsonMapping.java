package io.memsync.internal;

import java.io.StringReader;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;

import io.memsync.MemSyncException;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParsingException;

/**
 * Conversions between Java values and JSON used by the public API (JSON-B for records and POJOs, JSON-P values
 * passed through). Public only so that the value types of {@code io.memsync} ({@code Update}, {@code Precondition},
 * {@code MemSyncChange}, {@code MemSyncEvent}, the builder) can use it; internal to memsync, not API.
 */
public final class JsonMapping {
    private static final Jsonb JSONB = JsonbBuilder.create();
    /** The JSON-P provider, cached: {@code Json.createValue} looks the provider up on every call. */
    public static final JsonProvider JSON = io.memsync.document.JsonProviders.JSON;

    private JsonMapping() {
    }

    /**
     * Converts any Java value to a JSON value: JSON-P values as they are, scalars directly, the rest via JSON-B
     * (records and POJOs JSON-B cannot reach through {@link RecordMapping}).
     *
     * @param value the value, may be {@code null} (JSON null)
     * @return the JSON value
     * @throws IllegalArgumentException when the value cannot be mapped, naming its class
     */
    public static JsonValue toJson(Object value) {
        if (value == null) {
            return JsonValue.NULL;
        }
        if (value instanceof JsonValue json) {
            return json;
        }
        if (value instanceof String s) {
            return JSON.createValue(s);
        }
        if (value instanceof Boolean b) {
            return b ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return JSON.createValue(((Number) value).intValue());
        }
        if (value instanceof Long l) {
            return JSON.createValue(l);
        }
        if (value instanceof BigInteger bi) {
            return JSON.createValue(bi);
        }
        if (value instanceof BigDecimal bd) {
            return JSON.createValue(bd);
        }
        if (value instanceof Double || value instanceof Float) {
            return JSON.createValue(((Number) value).doubleValue());
        }
        if (value instanceof Character c) {
            return JSON.createValue(String.valueOf(c));
        }
        if (value instanceof Record && RecordMapping.needed(value.getClass())) {
            return RecordMapping.toJson(value);
        }
        try {
            String text = JSONB.toJson(value);
            try (JsonReader reader = JSON.createReader(new StringReader(text))) {
                return reader.readValue();
            }
        } catch (JsonbException | JsonException e) {
            if (RecordMapping.mayHelp(value)) {
                // JSON-B cannot reach records that are not public; map them (and what holds them) ourselves
                return RecordMapping.toJson(value);
            }
            throw new IllegalArgumentException("cannot map " + value.getClass().getName() + " to JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Converts a JSON value to the given Java type via JSON-B.
     *
     * @param value the JSON value, may be {@code null}
     * @param type  the target type: JSON-P types, scalars, records, POJOs, generic types
     * @param <T>   the target type
     * @return the value, {@code null} for JSON null or {@code null}
     */
    public static <T> T fromJson(JsonValue value, Type type) {
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (type instanceof Class<?> c && JsonValue.class.isAssignableFrom(c)) {
            @SuppressWarnings("unchecked")
            T t = (T) c.cast(value);
            return t;
        }
        Object scalar = scalar(value, type);
        if (scalar != null) {
            @SuppressWarnings("unchecked")
            T t = (T) scalar;
            return t;
        }
        if (RecordMapping.needed(type)) {
            @SuppressWarnings("unchecked")
            T t = (T) RecordMapping.fromJson(value, type);
            return t;
        }
        return JSONB.fromJson(value.toString(), type);
    }

    /** Maps JSON scalars to the common Java scalar types without JSON-B (the hot path of observers); else null. */
    private static Object scalar(JsonValue value, Type type) {
        if (value instanceof jakarta.json.JsonString s && (type == String.class || type == Object.class)) {
            return s.getString();
        }
        if (value instanceof jakarta.json.JsonNumber n) {
            if (type == Long.class || type == long.class) {
                return n.isIntegral() ? n.longValueExact() : null;
            }
            if (type == Integer.class || type == int.class) {
                return n.isIntegral() ? n.intValueExact() : null;
            }
            if (type == Double.class || type == double.class) {
                return n.doubleValue();
            }
            if (type == BigDecimal.class) {
                return n.bigDecimalValue();
            }
        }
        if ((value == JsonValue.TRUE || value == JsonValue.FALSE) && (type == Boolean.class || type == boolean.class)) {
            return value == JsonValue.TRUE;
        }
        return null;
    }

    /** Parses JSON text; failures are {@link JsonException}s or {@link JsonParsingException}s. */
    static JsonValue parse(String text) {
        try (JsonReader reader = JSON.createReader(new StringReader(text))) {
            return reader.readValue();
        }
    }

    /**
     * Parses JSON text that must be an object or array.
     *
     * @param text the text
     * @param code the {@link MemSyncException} code of a failure
     * @param what what the text is, for the message (e.g. {@code "update"})
     * @return the parsed object or array
     * @throws MemSyncException with {@code code} when the text is null, not JSON, or a scalar
     */
    public static JsonStructure parseStructure(String text, String code, String what) {
        if (text == null) {
            throw new MemSyncException(code, what + " must not be null");
        }
        JsonValue v;
        try {
            v = parse(text);
        } catch (JsonException e) {
            throw new MemSyncException(code, what + " is not valid JSON: " + e.getMessage(), e);
        }
        if (v instanceof JsonStructure s) {
            return s;
        }
        throw new MemSyncException(code, what + " must be a JSON object or array, got " + v.getValueType());
    }

    /**
     * Parses JSON text that must be an object.
     *
     * @param text the text
     * @param code the {@link MemSyncException} code of a failure
     * @param what what the text is, for the message
     * @return the parsed object
     * @throws MemSyncException with {@code code} when the text is null, not JSON, or not an object
     */
    public static JsonObject parseObject(String text, String code, String what) {
        JsonStructure s = parseStructure(text, code, what);
        if (s instanceof JsonObject o) {
            return o;
        }
        throw new MemSyncException(code, what + " must be a JSON object, got an array");
    }
}
