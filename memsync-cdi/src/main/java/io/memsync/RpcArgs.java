package io.memsync;

import java.lang.reflect.Type;

import jakarta.json.JsonArray;

/** The arguments of an RPC call, as received by an {@link RpcHandler}. */
public interface RpcArgs {
    /**
     * How many arguments the caller passed.
     *
     * @return the count
     */
    int size();

    /**
     * One argument mapped through JSON-B.
     *
     * @param index position, from 0
     * @param type  target type
     * @param <T>   the type
     * @return the argument, {@code null} for JSON null
     * @throws MemSyncException {@link MemSyncException#ERR_RPC_FAILED} when absent or not mappable to {@code type}
     */
    <T> T get(int index, Class<T> type);

    /**
     * One argument mapped through JSON-B to a generic type.
     *
     * @param index position, from 0
     * @param type  target type, e.g. from a {@code ParameterizedType}
     * @param <T>   the type
     * @return the argument
     * @throws MemSyncException {@link MemSyncException#ERR_RPC_FAILED} when absent or not mappable
     */
    <T> T get(int index, Type type);

    /**
     * The arguments as JSON.
     *
     * @return the argument array
     */
    JsonArray json();
}
