package io.memsync.document;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Iterator;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Comparison and arithmetic of JSON values with MongoDB semantics.
 *
 * <p><b>Order</b> (BSON order restricted to JSON types): {@code null < numbers < strings < objects < arrays
 * < booleans} ({@code false < true}). Numbers compare numerically whatever their representation
 * ({@code 1 == 1.0}); strings by code point; objects member by member in order (the value's type rank,
 * then the name, then the value), then by size; arrays element by element, then by length.
 *
 * <p><b>Arithmetic</b>: when both operands are integral ({@link JsonNumber#isIntegral()}) the result is
 * computed exactly and kept integral in the narrowest of {@code int}, {@code long}, {@link BigInteger}
 * (so overflow promotes, never wraps). Otherwise the result is the exact {@link BigDecimal} sum (products
 * are rounded to {@link MathContext#DECIMAL128}), so {@code 1.5 + 1} is {@code 2.5} and a decimal stays
 * decimal ({@code 1.5 × 2} is {@code 3.0}, not integral): such a result is never integral, as MongoDB
 * gives a double when a double takes part ({@code 2 × 2.0} is {@code 4.0}).
 */
public final class JsonValues {

    /** The JSON-P provider, looked up once ({@code Json.createValue} looks it up on every call). */
    static final jakarta.json.spi.JsonProvider JSON = JsonProviders.JSON;

    private JsonValues() {
    }

    /**
     * The BSON type rank of a value: null 0, number 1, string 2, object 3, array 4, boolean 5.
     *
     * @param v a value
     * @return its rank
     */
    static int rank(JsonValue v) {
        return switch (v.getValueType()) {
            case NULL -> 0;
            case NUMBER -> 1;
            case STRING -> 2;
            case OBJECT -> 3;
            case ARRAY -> 4;
            case FALSE, TRUE -> 5;
        };
    }

    /**
     * Compares two values in MongoDB (BSON) order.
     *
     * @param a first value
     * @param b second value
     * @return negative, zero or positive as {@code a} sorts before, with or after {@code b}
     */
    public static int compare(JsonValue a, JsonValue b) {
        if (a == b) {
            return 0;
        }
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        switch (a.getValueType()) {
            case NULL:
                return 0;
            case NUMBER:
                return compareNumbers((JsonNumber) a, (JsonNumber) b);
            case STRING:
                return compareStrings(((JsonString) a).getString(), ((JsonString) b).getString());
            case TRUE:
            case FALSE:
                return Boolean.compare(a.getValueType() == JsonValue.ValueType.TRUE,
                        b.getValueType() == JsonValue.ValueType.TRUE);
            case OBJECT: {
                Iterator<Map.Entry<String, JsonValue>> ia = ((JsonObject) a).entrySet().iterator();
                Iterator<Map.Entry<String, JsonValue>> ib = ((JsonObject) b).entrySet().iterator();
                while (ia.hasNext() && ib.hasNext()) {
                    Map.Entry<String, JsonValue> ea = ia.next();
                    Map.Entry<String, JsonValue> eb = ib.next();
                    // MongoDB compares each pair's value type first, then the names, then the values.
                    int c = Integer.compare(rank(ea.getValue()), rank(eb.getValue()));
                    if (c != 0) {
                        return c;
                    }
                    c = compareStrings(ea.getKey(), eb.getKey());
                    if (c != 0) {
                        return c;
                    }
                    c = compare(ea.getValue(), eb.getValue());
                    if (c != 0) {
                        return c;
                    }
                }
                return Boolean.compare(ia.hasNext(), ib.hasNext());
            }
            default: {
                Iterator<JsonValue> ia = ((JsonArray) a).iterator();
                Iterator<JsonValue> ib = ((JsonArray) b).iterator();
                while (ia.hasNext() && ib.hasNext()) {
                    int c = compare(ia.next(), ib.next());
                    if (c != 0) {
                        return c;
                    }
                }
                return Boolean.compare(ia.hasNext(), ib.hasNext());
            }
        }
    }

    /**
     * MongoDB equality: {@code compare(a, b) == 0} (numbers equal across representations, member order
     * significant).
     *
     * @param a first value
     * @param b second value
     * @return whether they are equal in MongoDB's sense
     */
    public static boolean mongoEquals(JsonValue a, JsonValue b) {
        return compare(a, b) == 0;
    }

    /**
     * RFC 6902 {@code test} equality: numbers equal numerically, objects as unordered member sets,
     * arrays element-wise.
     *
     * @param a first value
     * @param b second value
     * @return whether they are equal in the JSON Patch sense
     */
    public static boolean jsonEquals(JsonValue a, JsonValue b) {
        if (a == b) {
            return true;
        }
        if (a.getValueType() != b.getValueType()) {
            return false;
        }
        switch (a.getValueType()) {
            case NUMBER:
                return compareNumbers((JsonNumber) a, (JsonNumber) b) == 0;
            case STRING:
                return ((JsonString) a).getString().equals(((JsonString) b).getString());
            case OBJECT: {
                JsonObject oa = (JsonObject) a;
                JsonObject ob = (JsonObject) b;
                if (oa.size() != ob.size()) {
                    return false;
                }
                for (Map.Entry<String, JsonValue> e : oa.entrySet()) {
                    JsonValue other = ob.get(e.getKey());
                    if (other == null || !jsonEquals(e.getValue(), other)) {
                        return false;
                    }
                }
                return true;
            }
            case ARRAY: {
                JsonArray aa = (JsonArray) a;
                JsonArray ab = (JsonArray) b;
                if (aa.size() != ab.size()) {
                    return false;
                }
                for (int i = 0; i < aa.size(); i++) {
                    if (!jsonEquals(aa.get(i), ab.get(i))) {
                        return false;
                    }
                }
                return true;
            }
            default:
                return true;
        }
    }

    static int compareNumbers(JsonNumber a, JsonNumber b) {
        if (a.isIntegral() && b.isIntegral()) {
            return a.bigIntegerValue().compareTo(b.bigIntegerValue());
        }
        return a.bigDecimalValue().compareTo(b.bigDecimalValue());
    }

    static int compareStrings(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; ) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(i);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
        }
        return Integer.compare(a.length(), b.length());
    }

    /**
     * The narrowest integral JSON number for an exact integer.
     *
     * @param v the integer
     * @return an int, long or big-integer JSON number
     */
    /** The value of an integral number that fits a {@code long}, or {@code null}; cheap for int and long numbers. */
    private static Long exactLong(JsonNumber n) {
        try {
            return n.longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /** An integral number of the narrowest kind (int or long) holding {@code v}. */
    private static JsonNumber small(long v) {
        return v == (int) v ? JsonValues.JSON.createValue((int) v) : JsonValues.JSON.createValue(v);
    }

    static JsonNumber integral(BigInteger v) {
        if (v.bitLength() < 32) {
            return JsonValues.JSON.createValue(v.intValue());
        }
        if (v.bitLength() < 64) {
            return JsonValues.JSON.createValue(v.longValue());
        }
        return JsonValues.JSON.createValue(v);
    }

    /**
     * Sum of two numbers (see the class comment for the rule).
     *
     * @param a augend
     * @param b addend
     * @return the sum
     */
    public static JsonNumber add(JsonNumber a, JsonNumber b) {
        if (a.isIntegral() && b.isIntegral()) {
            Long x = exactLong(a);
            Long y = x == null ? null : exactLong(b);
            if (y != null) {
                long sum = x + y;
                // no overflow when the result has the sign of at least one operand (Math.addExact's test)
                if (((x ^ sum) & (y ^ sum)) >= 0) {
                    return small(sum);
                }
            }
            return integral(a.bigIntegerValue().add(b.bigIntegerValue()));
        }
        return decimal(a.bigDecimalValue().add(b.bigDecimalValue()));
    }

    /**
     * Product of two numbers (see the class comment for the rule).
     *
     * @param a multiplicand
     * @param b multiplier
     * @return the product
     */
    public static JsonNumber multiply(JsonNumber a, JsonNumber b) {
        if (a.isIntegral() && b.isIntegral()) {
            return integral(a.bigIntegerValue().multiply(b.bigIntegerValue()));
        }
        return decimal(a.bigDecimalValue().multiply(b.bigDecimalValue(), MathContext.DECIMAL128));
    }

    /**
     * A non-integral JSON number: a result whose scale came out as zero ({@code 1 + 1E2}) gets one decimal
     * place so that it does not turn integral ({@link JsonNumber#isIntegral()} tests for scale zero).
     */
    private static JsonNumber decimal(BigDecimal v) {
        if (v.scale() == 0 || v.scale() < 0 && v.precision() - v.scale() <= 40) {
            v = v.setScale(1);
        }
        return JsonValues.JSON.createValue(v);
    }
}
