/**
 * CDI applications run as separate JVMs by the multi-process tests ({@code CdiProcessTest}): a Weld SE main or a
 * Helidon MP server, each using memsync only through injection, observers and {@code @RpcMethod}, scripted over
 * stdin/stdout like {@link io.memsync.it.Peer}.
 */
package io.memsync.it.cdi;
