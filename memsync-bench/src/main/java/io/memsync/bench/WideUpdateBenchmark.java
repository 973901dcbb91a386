package io.memsync.bench;

import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import io.memsync.Update;
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

/**
 * One update with many paths: a {@code $set} of {@code fields} top-level fields on a small document, and, for
 * comparison, a {@code $set} of one field holding an object of {@code fields} members. The cost of the first
 * should grow about linearly with {@code fields} (2,000 → 8,000: about 4×, not 16×).
 *
 * <p>Run: {@code ./bench.sh jmh WideUpdateBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WideUpdateBenchmark {

    /** Number of fields the update sets. */
    @Param({"2000", "8000"})
    public int fields;

    private JsonObject document;
    private Update manyPaths;
    private Update onePath;

    /** Builds the document and both updates. */
    @Setup
    public void setup() {
        document = PersistentJson.object(Json.createObjectBuilder().add("keep", 1).build());
        JsonObjectBuilder set = Json.createObjectBuilder();
        JsonObjectBuilder value = Json.createObjectBuilder();
        for (int i = 0; i < fields; i++) {
            set.add("f" + i, i);
            value.add("f" + i, i);
        }
        manyPaths = Update.of(Json.createObjectBuilder().add("$set", set).build());
        onePath = Update.of(Json.createObjectBuilder().add("$set", Json.createObjectBuilder().add("all", value)).build());
    }

    /**
     * {@code $set} of {@code fields} paths.
     *
     * @return the evaluation
     */
    @Benchmark
    public UpdateEvaluator.Evaluation setManyPaths() {
        return UpdateEvaluator.evaluate(document, manyPaths);
    }

    /**
     * {@code $set} of one path whose value has {@code fields} members.
     *
     * @return the evaluation
     */
    @Benchmark
    public UpdateEvaluator.Evaluation setOnePathOfManyMembers() {
        return UpdateEvaluator.evaluate(document, onePath);
    }
}
