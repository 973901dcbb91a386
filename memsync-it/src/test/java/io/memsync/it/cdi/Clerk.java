package io.memsync.it.cdi;

import io.memsync.RpcMethod;

import jakarta.enterprise.context.ApplicationScoped;

/** An RPC method; only the application started with {@code -Dmemsync.it.clerk=true} has this bean. */
@ApplicationScoped
public class Clerk {
    /**
     * Answers with this process's pid.
     *
     * @param who the caller's label
     * @return {@code {"pid":…,"for":who}}
     */
    @RpcMethod("clerk")
    public jakarta.json.JsonObject clerk(String who) {
        return jakarta.json.Json.createObjectBuilder().add("pid", ProcessHandle.current().pid()).add("for", who).build();
    }
}
