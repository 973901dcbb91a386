package io.memsync.document;

import java.util.HashMap;
import java.util.Map;

/**
 * The paths one update has claimed so far, kept as a tree of segments so that checking a new path against
 * all of them costs its number of segments, not the number of paths claimed (an update of {@code n} fields
 * costs {@code O(n)} here; comparing each path with every earlier one cost {@code O(n²)}).
 *
 * <p>Two paths clash when they {@linkplain Paths#overlap overlap} (equal, or one an ancestor of the other,
 * {@code $[]} matching any segment) or when, after a common prefix, one continues with {@code $[]} and the
 * other with another segment (MongoDB refuses to address one array both ways). Both come down to: the
 * paths are in a prefix relation, or where they part one of them goes on with {@code $[]}.
 */
final class PathClaims {

    /** One segment position: the claim ending here, its children, and the first claim through it. */
    private static final class Node {
        Map<String, Node> children;
        /** {path, operator} of the claim that ends here, or null. */
        String[] ends;
        /** {path, operator} of the first claim that passed through or ended here (named in messages). */
        String[] first;
    }

    private final Node root = new Node();
    private long steps;

    /**
     * Claims a path, or returns the earlier claim it clashes with.
     *
     * @param path     a valid dotted path
     * @param operator the operator claiming it
     * @return {@code null} when claimed, else the {path, operator} it clashes with (nothing is claimed then)
     */
    String[] claim(String path, String operator) {
        String[] claim = {path, operator};
        String[] segs = Paths.split(path);
        Node node = root;
        // check first, so a refused path leaves nothing behind
        for (String seg : segs) {
            steps++;
            if (node.ends != null) {
                return node.ends; // an earlier path is an ancestor of this one
            }
            if (node.children == null) {
                node = null;
                break;
            }
            String[] parted = parting(node, seg);
            if (parted != null) {
                return parted;
            }
            node = node.children.get(seg);
            if (node == null) {
                break;
            }
        }
        if (node != null && (node.ends != null || node.children != null)) {
            return node.first; // equal to an earlier path, or an ancestor of one
        }
        node = root;
        for (String seg : segs) {
            steps++;
            if (node.first == null) {
                node.first = claim;
            }
            if (node.children == null) {
                node.children = new HashMap<>(4);
            }
            node = node.children.computeIfAbsent(seg, s -> new Node());
        }
        node.first = node.first == null ? claim : node.first;
        node.ends = claim;
        return null;
    }

    /**
     * The earliest claim below {@code node} that a path continuing with {@code seg} would part from with a
     * {@code $[]} on one side, or {@code null}. A node never holds both a {@code $[]} child and another (that
     * pair is refused), so either every claim below it parts that way or none does.
     */
    private static String[] parting(Node node, String seg) {
        boolean all = node.children.containsKey(Paths.ALL);
        if (seg.equals(Paths.ALL)) {
            return all ? null : node.first;
        }
        return all ? node.children.get(Paths.ALL).first : null;
    }

    /**
     * Segment steps taken so far by all claims: what the check costs, for tests that show it grows linearly.
     *
     * @return the count
     */
    long steps() {
        return steps;
    }
}
