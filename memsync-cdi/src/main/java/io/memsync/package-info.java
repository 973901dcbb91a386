/**
 * memsync: a JSON document shared by several JVM processes, with RPC, events and change observers.
 *
 * <p>This is the only package applications use. Start with {@link io.memsync.MemSync#builder(String)}, or, in a
 * CDI application, inject {@code @Shared("name") SharedObject}. It holds the public API only (DESIGN.md §3); the
 * implementation lives in {@code io.memsync.internal} and the other packages, none of which is API.
 */
package io.memsync;
