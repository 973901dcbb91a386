/**
 * The implementation behind the public package {@code io.memsync}: the {@link io.memsync.SharedObject} that runs a
 * replica ({@code SharedObjectImpl}), {@link io.memsync.internal.EngineWiring}, the one place that assembles the
 * engine (rendezvous, transport, replica, snapshot file, HTTP endpoint, warm-up), and the JSON-B mapping and RPC
 * plumbing that the public types use.
 *
 * <p><b>Not API.</b> Internal to memsync: no compatibility is promised, types and members may change or go in any
 * release, and once memsync ships a {@code module-info.java} this package is not exported. Applications import only
 * {@code io.memsync}. A few types here are {@code public} only because {@code io.memsync} must reach them across the
 * package boundary ({@link io.memsync.internal.EngineWiring}, {@link io.memsync.internal.SharedObjectOptions},
 * {@link io.memsync.internal.JsonMapping}, {@link io.memsync.internal.ReflectiveRpcHandler},
 * {@link io.memsync.internal.BuilderSupport}); everything else is
 * package-private.
 *
 * <p>Layering: this package sits beside {@code io.memsync} (DESIGN.md §2, level 6). It uses the engine packages
 * ({@code document}, {@code replication}, {@code transport}, {@code discovery}, {@code storage}) and the public
 * types, and, like them, never imports {@code jakarta.enterprise} or {@code io.memsync.cdi}.
 */
package io.memsync.internal;
