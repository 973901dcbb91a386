package io.memsync.bench;

import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import io.memsync.Update;
import io.memsync.document.Effects;
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
 * Cost of evaluating one nested-field update ({@code $set}/{@code $inc} of {@code k<mid>.n}) and of applying
 * its effect, on a ~1 KB document (10 entries) and a ~1 MB document (10,000 entries), each entry
 * {@code {"n":1,"s":"abc…xyz" (62 characters),"t":true}}. The cost should depend on the path,
 * not on the document size.
 *
 * <p>Run: {@code mvn -q -pl memsync-bench -am package -DskipTests && java -jar
 * memsync-bench/target/benchmarks.jar UpdateBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class UpdateBenchmark {

    /** Number of top-level entries (about 100 bytes each): 10 ≈ 1 KB, 10000 ≈ 1 MB. */
    @Param({"10", "10000"})
    public int entries;

    private JsonObject document;
    private Update set;
    private Update inc;
    private JsonArray setEffect;
    private JsonArray incEffect;

    /** Builds the document and the updates, and precomputes their effects. */
    @Setup
    public void setup() {
        JsonObjectBuilder b = Json.createObjectBuilder();
        for (int i = 0; i < entries; i++) {
            b.add("k" + i, Json.createObjectBuilder().add("n", 1)
                    .add("s", "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz").add("t", true));
        }
        document = PersistentJson.object(b.build());
        String key = "k" + (entries / 2) + ".n";
        set = Update.of(Json.createObjectBuilder().add("$set", Json.createObjectBuilder().add(key, 42)).build());
        inc = Update.of(Json.createObjectBuilder().add("$inc", Json.createObjectBuilder().add(key, 1)).build());
        setEffect = UpdateEvaluator.evaluate(document, set).effect();
        incEffect = UpdateEvaluator.evaluate(document, inc).effect();
    }

    /**
     * Evaluates {@code $set} of one nested field.
     *
     * @return the evaluation
     */
    @Benchmark
    public UpdateEvaluator.Evaluation evaluateSet() {
        return UpdateEvaluator.evaluate(document, set);
    }

    /**
     * Evaluates {@code $inc} of one nested field.
     *
     * @return the evaluation
     */
    @Benchmark
    public UpdateEvaluator.Evaluation evaluateInc() {
        return UpdateEvaluator.evaluate(document, inc);
    }

    /**
     * Applies the effect of the {@code $set}.
     *
     * @return the new document
     */
    @Benchmark
    public JsonObject applySetEffect() {
        return Effects.apply(document, setEffect);
    }

    /**
     * Applies the effect of the {@code $inc}.
     *
     * @return the new document
     */
    @Benchmark
    public JsonObject applyIncEffect() {
        return Effects.apply(document, incEffect);
    }
}
