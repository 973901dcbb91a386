package io.memsync.cdi;

import java.util.concurrent.Callable;

/** Measures the RPC calls a process serves (Micrometer when present, nothing otherwise). */
interface RpcTiming {
    /** Measures nothing. */
    RpcTiming NONE = (name, method, call) -> call.call();

    /**
     * Runs one served call, measuring it until it returns or, for a {@code CompletionStage}, until that completes.
     *
     * @param name   the shared object's name
     * @param method the RPC name
     * @param call   the call
     * @return what the call returned
     * @throws Exception what the call threw
     */
    Object time(String name, String method, Callable<Object> call) throws Exception;
}
