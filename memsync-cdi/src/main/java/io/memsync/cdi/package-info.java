/**
 * The CDI portable extension: {@code @Shared} injection points, {@code @RpcMethod} discovery, MicroProfile Config binding, and {@code MemSyncChange}/{@code MemSyncEvent} delivery.
 *
 * <p>Internal to memsync: no compatibility is promised. Applications import only {@code io.memsync}.
 */
package io.memsync.cdi;
