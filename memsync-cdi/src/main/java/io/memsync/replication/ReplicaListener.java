package io.memsync.replication;

/**
 * Receives a {@link Replica}'s view changes and role changes. Calls come from the replica's event thread, one at
 * a time and in order; a listener may call {@link Replica#submit} and {@link Replica#view()} but must not block.
 */
public interface ReplicaListener {
    /**
     * One visible change of the view.
     *
     * @param change the change
     */
    void viewChanged(ViewChange change);

    /**
     * The replica's role changed (connecting, host, client, stopped).
     *
     * @param status the new status
     */
    default void roleChanged(ReplicaStatus status) {
    }
}
