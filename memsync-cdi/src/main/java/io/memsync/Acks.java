package io.memsync;

/**
 * Which processes must hold a patch's entry before the patch is acknowledged (see
 * {@link MemSync.Builder#acks(Acks)}). Independent of {@link Durability}: both conditions apply.
 */
public enum Acks {
    /**
     * The default: a patch is acknowledged once the host ordered it (and its record is as durable as the
     * {@link Durability} mode asks). A client's patch is then held by the host and by that client; a patch made on
     * the host is held by the host alone until its entry reaches a client, so a host killed right after its own
     * acknowledged write may take that write with it (unless a durable store has it).
     */
    LOCAL,
    /**
     * A patch is acknowledged only once at least one process other than the host holds its entry. For a client's
     * patch that is already the case when the client receives the entry; a patch made on the host waits until a
     * client acknowledged the entry (the host asks for that right after sending it). With no other process
     * connected, a patch made on the host waits until one joins; after the {@code timeout} its stage fails with
     * {@link MemSyncException#ERR_TIMEOUT}, which means outcome unknown: the patch is applied on the host and may
     * well survive.
     */
    REPLICA
}
