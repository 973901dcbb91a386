package io.memsync.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import io.memsync.Update;
import io.memsync.document.Paths;
import io.memsync.document.PersistentJson;
import io.memsync.document.UpdateEvaluator;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reads of a ~1 MB document as a user makes them on {@code shared.data()}: member lookups
 * ({@code get}, {@code containsKey}, {@code keySet().contains}, {@code entrySet().contains}) in the
 * 10,000-member top level, a nested {@code Paths.get}, value lookups ({@code indexOf}, {@code contains})
 * in a 10,000-element array, a full iteration, and {@code equals} of two equal documents. Each lookup
 * should cost about the same whatever the document size ({@code entries} 100 vs 10,000); iteration and
 * equality one pass.
 *
 * <p>{@code form}: {@code parsed} is the document as read from JSON; {@code changed} the same after one
 * update (large objects and arrays in their tree form).
 *
 * <p>Run: {@code ./bench.sh jmh ReadBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReadBenchmark {

    /** Members of the top level and elements of {@code list} (about 100 bytes each: 10,000 ≈ 1 MB). */
    @Param({"100", "10000"})
    public int entries;

    /** {@code parsed} or {@code changed} (see the class comment). */
    @Param({"parsed", "changed"})
    public String form;

    private JsonObject document;
    private JsonObject equalCopy;
    private JsonArray list;
    private String key;
    private String path;
    private JsonValue element;
    private Map.Entry<String, JsonValue> entry;
    private int next;

    /** Builds the document (and an equal copy built separately). */
    @Setup
    public void setup() {
        document = build();
        equalCopy = build();
        key = "k" + entries / 2;
        path = key + ".s";
        entry = Map.entry(key, document.get(key));
        list = document.getJsonArray("list");
        element = list.get(entries / 2);
    }

    private JsonObject build() {
        JsonObjectBuilder b = Json.createObjectBuilder();
        JsonArrayBuilder l = Json.createArrayBuilder();
        for (int i = 0; i < entries; i++) {
            b.add("k" + i, Json.createObjectBuilder().add("n", i)
                    .add("s", "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz").add("t", true));
            l.add("e" + i);
        }
        JsonObject doc = PersistentJson.object(b.add("list", l).build());
        if (form.equals("changed")) {
            doc = UpdateEvaluator.evaluate(doc, Update.set("k0.n", -1).push("list", "last")).document();
        }
        return doc;
    }

    /**
     * {@code get} of a top-level member.
     *
     * @return the member
     */
    @Benchmark
    public JsonValue get() {
        return document.get(key);
    }

    /**
     * {@code containsKey} of a present and a missing name.
     *
     * @param bh sink
     */
    @Benchmark
    public void containsKey(Blackhole bh) {
        bh.consume(document.containsKey(key));
        bh.consume(document.containsKey("missing"));
    }

    /**
     * {@code keySet().contains} of a present name.
     *
     * @return the answer
     */
    @Benchmark
    public boolean keySetContains() {
        return document.keySet().contains(key);
    }

    /**
     * {@code entrySet().contains} of a present member.
     *
     * @return the answer
     */
    @Benchmark
    public boolean entrySetContains() {
        return document.entrySet().contains(entry);
    }

    /**
     * A nested read by dotted path ({@code k<mid>.s}).
     *
     * @return the value
     */
    @Benchmark
    public JsonValue pathGet() {
        return Paths.get(document, path);
    }

    /**
     * {@code indexOf} of an element in the middle of the array, asked again and again of one snapshot.
     *
     * @return the index
     */
    @Benchmark
    public int arrayIndexOf() {
        return list.indexOf(element);
    }

    /**
     * {@code get(i)} of the array, walking the positions.
     *
     * @return the element
     */
    @Benchmark
    public JsonValue arrayGet() {
        int i = next++;
        if (next == entries) {
            next = 0;
        }
        return list.get(i);
    }

    /**
     * Iterates every member of the top level.
     *
     * @return a sum so that nothing is optimised away
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int iterateMembers() {
        int n = 0;
        for (Map.Entry<String, JsonValue> e : document.entrySet()) {
            n += e.getKey().length();
        }
        return n;
    }

    /**
     * {@code equals} of two equal documents built separately (their hash codes are cached after the first call,
     * so this measures the member-by-member comparison).
     *
     * @return the answer
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean equalDocuments() {
        return document.equals(equalCopy);
    }
}
