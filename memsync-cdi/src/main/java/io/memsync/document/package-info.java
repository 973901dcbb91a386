/**
 * Internal: the pure document engine of memsync — persistent (structurally shared) JSON values, dotted
 * path syntax, MongoDB-style filters, the update-operator evaluator and RFC 6902 effect application.
 *
 * <p><strong>This package is internal.</strong> Its types may change without notice; applications import
 * only {@code io.memsync}. Everything here is pure: no threads, no I/O, no shared mutable state. Every
 * value handed out is immutable, and every operation returns a new document sharing structure with the
 * old one, so changing one nested field of a document with {@code n} top-level entries costs
 * {@code O(depth × log n)}.
 */
package io.memsync.document;
