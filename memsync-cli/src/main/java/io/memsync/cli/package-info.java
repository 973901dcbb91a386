/**
 * The {@code memsync} command line ({@link io.memsync.cli.MemSyncCli}): picocli commands that join a shared
 * object's network through the normal rendezvous, as a reader unless the command writes, and never as host.
 */
package io.memsync.cli;
