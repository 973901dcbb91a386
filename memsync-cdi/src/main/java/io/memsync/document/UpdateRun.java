package io.memsync.document;

import java.util.ArrayList;
import java.util.List;

import jakarta.json.JsonValue;

import io.memsync.MemSyncException;

/** Mutable state of one evaluation: recorded effect and the item being applied (for messages). */
final class UpdateRun {
    final List<JsonValue> ops = new ArrayList<>(4);
    String operator;
    String path;

    MemSyncException fail(String msg) {
        return UpdateEvaluator.invalid(operator + " at '" + path + "': " + msg);
    }

    void emit(JsonValue old, JsonValue nv, String ptr) {
        if (old == null) {
            if (nv != null) {
                ops.add(Effects.op("add", ptr, nv));
            }
        } else if (nv == null) {
            ops.add(Effects.op("remove", ptr, null));
        } else if (old != nv && !old.equals(nv)) {
            if (old instanceof PJsonArray oa && nv instanceof PJsonArray na) {
                arrayDiff(oa, na, ptr);
            } else {
                ops.add(Effects.op("replace", ptr, nv));
            }
        }
    }

    private void arrayDiff(PJsonArray a, PJsonArray b, String ptr) {
        int n = Math.min(a.size(), b.size());
        int p = 0;
        while (p < n && same(a.get(p), b.get(p))) {
            p++;
        }
        int s = 0;
        while (s < n - p && same(a.get(a.size() - 1 - s), b.get(b.size() - 1 - s))) {
            s++;
        }
        int k = a.size() - p - s;
        int m = b.size() - p - s;
        if (k == 0) {
            for (int j = 0; j < m; j++) {
                ops.add(Effects.op("add", ptr + "/" + (p + j), b.get(p + j)));
            }
            return;
        }
        if (m < k) {
            // Is b's middle a subsequence of a's middle? Then only removals.
            List<Integer> removed = new ArrayList<>();
            int j = 0;
            for (int i = 0; i < k; i++) {
                if (j < m && same(a.get(p + i), b.get(p + j))) {
                    j++;
                } else {
                    removed.add(p + i);
                }
            }
            if (j == m) {
                for (int r = removed.size() - 1; r >= 0; r--) {
                    ops.add(Effects.op("remove", ptr + "/" + removed.get(r), null));
                }
                return;
            }
        }
        if (k == m && k <= 8) {
            for (int j = 0; j < k; j++) {
                if (!same(a.get(p + j), b.get(p + j))) {
                    ops.add(Effects.op("replace", ptr + "/" + (p + j), b.get(p + j)));
                }
            }
            return;
        }
        ops.add(Effects.op("replace", ptr, b));
    }

    static boolean same(JsonValue x, JsonValue y) {
        return x == y || x.equals(y);
    }
}
