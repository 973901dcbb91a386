package io.memsync.document;

import java.util.ArrayList;
import java.util.List;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import io.memsync.MemSyncException;

/**
 * Dotted paths ({@code a.b.0.c}): reading, validation, overlap, and conversion from JSON Pointers.
 *
 * <p>A segment addresses an object member by name or an array element by a decimal index; the segment
 * {@code $[]} (all-positional) stands for every element of an array.
 */
public final class Paths {

    /** The longest accepted dotted path, in characters. */
    public static final int MAX_LENGTH = 1000;

    /** The all-positional segment. */
    public static final String ALL = "$[]";

    private Paths() {
    }

    /**
     * Reads the value at a dotted path.
     *
     * @param document   the document (any JSON value)
     * @param dottedPath the path; {@code ""} is the document itself
     * @return the value, or {@code null} when absent
     */
    public static JsonValue get(JsonValue document, String dottedPath) {
        if (dottedPath.isEmpty()) {
            return document;
        }
        JsonValue cur = document;
        int start = 0;
        while (cur != null) {
            int dot = dottedPath.indexOf('.', start);
            String seg = dot < 0 ? dottedPath.substring(start) : dottedPath.substring(start, dot);
            cur = child(cur, seg);
            if (dot < 0) {
                return cur;
            }
            start = dot + 1;
        }
        return null;
    }

    /**
     * The child of a container named by one segment.
     *
     * @param node a value
     * @param seg  a member name or array index
     * @return the child, or {@code null}
     */
    static JsonValue child(JsonValue node, String seg) {
        if (node instanceof JsonObject o) {
            return o.get(seg);
        }
        if (node instanceof JsonArray a) {
            int i = index(seg);
            return i >= 0 && i < a.size() ? a.get(i) : null;
        }
        return null;
    }

    /**
     * Parses an array index segment.
     *
     * @param seg a segment
     * @return the index, or -1 when the segment is not a canonical non-negative decimal index
     */
    static int index(String seg) {
        int n = seg.length();
        if (n == 0 || n > 9 || (n > 1 && seg.charAt(0) == '0')) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < n; i++) {
            char c = seg.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * Whether two paths touch overlapping data: equal, or one a segment-wise ancestor of the other.
     * {@code $[]} matches any segment.
     *
     * @param a a dotted path
     * @param b another dotted path
     * @return whether they overlap
     */
    public static boolean overlap(String a, String b) {
        if (a.isEmpty() || b.isEmpty()) {
            return true; // the whole document is an ancestor of every path
        }
        // segment by segment without splitting: this runs for every observer on every change
        int ia = 0;
        int ib = 0;
        while (true) {
            int ea = a.indexOf('.', ia);
            int eb = b.indexOf('.', ib);
            ea = ea < 0 ? a.length() : ea;
            eb = eb < 0 ? b.length() : eb;
            int la = ea - ia;
            int lb = eb - ib;
            if (!(la == lb && a.regionMatches(ia, b, ib, la)) && !isAll(a, ia, la) && !isAll(b, ib, lb)) {
                return false;
            }
            if (ea == a.length() || eb == b.length()) {
                return true;
            }
            ia = ea + 1;
            ib = eb + 1;
        }
    }

    private static boolean isAll(String s, int from, int len) {
        return len == ALL.length() && s.startsWith(ALL, from);
    }

    /**
     * Checks a dotted path's syntax.
     *
     * @param dottedPath the path
     * @throws MemSyncException {@link MemSyncException#ERR_INVALID_PATCH} when it is empty, longer than
     *                          {@value #MAX_LENGTH} characters, has an empty segment, or has a segment
     *                          starting with {@code $} other than {@code $[]}
     */
    public static void validate(String dottedPath) {
        String problem = problem(dottedPath);
        if (problem != null) {
            throw new MemSyncException(MemSyncException.ERR_INVALID_PATCH, problem);
        }
    }

    /**
     * Why a path is invalid.
     *
     * @param p the path
     * @return a message naming the path, or {@code null} when it is valid
     */
    static String problem(String p) {
        if (p == null || p.isEmpty()) {
            return "path '' is empty";
        }
        if (p.length() > MAX_LENGTH) {
            return "path '" + p.substring(0, 40) + "…' is longer than " + MAX_LENGTH + " characters";
        }
        int start = 0;
        while (true) {
            int dot = p.indexOf('.', start);
            int end = dot < 0 ? p.length() : dot;
            if (end == start) {
                return "path '" + p + "' has an empty segment";
            }
            if (p.charAt(start) == '$' && !p.startsWith(ALL, start) || p.charAt(start) == '$' && end - start != 3) {
                return "path '" + p + "' has an unsupported segment '" + p.substring(start, end) + "'";
            }
            if (dot < 0) {
                return null;
            }
            start = dot + 1;
        }
    }

    /**
     * Splits a valid dotted path into segments.
     *
     * @param p the path
     * @return its segments
     */
    static String[] split(String p) {
        List<String> out = new ArrayList<>(4);
        int start = 0;
        while (true) {
            int dot = p.indexOf('.', start);
            if (dot < 0) {
                out.add(p.substring(start));
                return out.toArray(new String[0]);
            }
            out.add(p.substring(start, dot));
            start = dot + 1;
        }
    }

    /**
     * Splits a JSON Pointer into unescaped reference tokens.
     *
     * @param pointer an RFC 6901 pointer ({@code ""} or starting with {@code /})
     * @return the tokens, empty for the root
     * @throws IllegalArgumentException when the pointer is malformed
     */
    static String[] pointerTokens(String pointer) {
        if (pointer.isEmpty()) {
            return new String[0];
        }
        if (pointer.charAt(0) != '/') {
            throw new IllegalArgumentException("JSON Pointer '" + pointer + "' must start with '/'");
        }
        List<String> out = new ArrayList<>(4);
        int start = 1;
        while (true) {
            int slash = pointer.indexOf('/', start);
            String raw = slash < 0 ? pointer.substring(start) : pointer.substring(start, slash);
            out.add(unescape(raw, pointer));
            if (slash < 0) {
                return out.toArray(new String[0]);
            }
            start = slash + 1;
        }
    }

    private static String unescape(String raw, String pointer) {
        if (raw.indexOf('~') < 0) {
            return raw;
        }
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '~') {
                char n = i + 1 < raw.length() ? raw.charAt(i + 1) : 0;
                if (n == '0') {
                    sb.append('~');
                } else if (n == '1') {
                    sb.append('/');
                } else {
                    throw new IllegalArgumentException("JSON Pointer '" + pointer + "' has an invalid escape");
                }
                i++;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Appends one escaped reference token to a JSON Pointer.
     *
     * @param pointer the parent pointer
     * @param token   the unescaped token
     * @return the child pointer
     */
    static String pointerChild(String pointer, String token) {
        if (token.indexOf('~') < 0 && token.indexOf('/') < 0) {
            return pointer + "/" + token;
        }
        return pointer + "/" + token.replace("~", "~0").replace("/", "~1");
    }

    /**
     * Converts a JSON Pointer into a dotted path: its tokens, unescaped ({@code ~1} is {@code /}, {@code ~0} is
     * {@code ~}), joined with dots. The one conversion observers, the conflict rule and effects share.
     *
     * @param pointer a pointer
     * @return the dotted path ({@code ""} for the root)
     * @throws IllegalArgumentException when the pointer is malformed
     */
    public static String dotted(String pointer) {
        if (pointer.indexOf('~') < 0 && (pointer.isEmpty() || pointer.charAt(0) == '/')) {
            return pointer.isEmpty() ? "" : pointer.substring(1).replace('/', '.');
        }
        return String.join(".", pointerTokens(pointer));
    }
}
