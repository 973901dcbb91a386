package io.memsync.document;

import java.util.List;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import io.memsync.MemSyncException;

/**
 * Holds one evaluation to its {@link Limits} as it goes: the effect recorded so far (its size and how deep each value
 * it writes lands in the document) and the document it has built, measured with {@link JsonSize} and so never written
 * out. Checked after each field or operation, so an update that blows up is stopped at the step that passes a limit.
 */
final class LimitCheck {
    private final Limits limits;
    private long effectBytes = 2;
    private int counted;

    LimitCheck(Limits limits) {
        this.limits = limits;
    }

    /** Counts the operations of {@code ops} added since the last call; throws when the effect passes a limit. */
    void effect(List<? extends JsonValue> ops) {
        for (; counted < ops.size(); counted++) {
            JsonValue op = ops.get(counted);
            effectBytes = JsonSize.add(effectBytes, JsonSize.bytes(op) + (counted > 0 ? 1 : 0));
            if (effectBytes > limits.maxEffectBytes()) {
                throw tooLarge("its effect is more than " + limits.maxEffectBytes()
                        + " bytes written out (limit maxEffectSize = " + limits.maxEffectBytes() + " bytes)");
            }
            if (op instanceof JsonObject o && o.get("value") instanceof JsonValue v
                    && o.get("path") instanceof JsonString p) {
                String path = p.getString();
                long depth = segments(path) + (long) JsonSize.depth(v);
                if (depth > limits.maxDepth()) {
                    throw tooLarge("it nests the document " + depth + " levels deep at '" + path
                            + "' (limit maxDepth = " + limits.maxDepth() + ")");
                }
            }
        }
    }

    /** Throws when the document passes the size limit. */
    void document(JsonObject doc) {
        long b = JsonSize.bytes(doc);
        if (b > limits.maxDocumentBytes()) {
            throw tooLarge("the document would be " + (b == Long.MAX_VALUE ? "more than " + b : b)
                    + " bytes written out (limit maxDocumentSize = " + limits.maxDocumentBytes() + " bytes)");
        }
    }

    private static int segments(String pointer) {
        int n = 0;
        for (int i = 0; i < pointer.length(); i++) {
            if (pointer.charAt(i) == '/') {
                n++;
            }
        }
        return n;
    }

    private static MemSyncException tooLarge(String why) {
        return new MemSyncException(MemSyncException.ERR_TOO_LARGE, "update refused: " + why + "; nothing was applied");
    }
}
