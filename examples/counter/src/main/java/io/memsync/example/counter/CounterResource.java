package io.memsync.example.counter;

import io.memsync.MemSyncChange;
import io.memsync.PatchResult;
import io.memsync.Shared;
import io.memsync.SharedObject;
import io.memsync.Status;
import io.memsync.Update;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * The counter's REST endpoint. Every instance of the service injects the same shared object, so an increment sent
 * to any of them is seen by all.
 */
@ApplicationScoped
@Path("/counter")
public class CounterResource {
    /** The shared object's name. */
    public static final String NAME = "counter";

    @Inject
    @Shared(NAME)
    @SuppressWarnings("rawtypes")
    SharedObject counter;

    /**
     * The counter as this process sees it.
     *
     * @return {@code {"value":…,"version":…,"role":"HOST"|"CLIENT",…}}
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String get() {
        Status status = counter.status();
        return Json.createObjectBuilder()
                .add("value", counter.read("value", Long.class))
                .add("version", status.version())
                .add("term", status.term())
                .add("role", status.role().name())
                .add("pid", ProcessHandle.current().pid())
                .build().toString();
    }

    /**
     * Adds {@code by} to the counter and answers once the host has ordered the change.
     *
     * @param by the amount, 1 by default
     * @return {@code {"value":…,"version":…}}: the value right after this change and the version it got
     */
    @POST
    @Path("/increment")
    @Produces(MediaType.APPLICATION_JSON)
    public String increment(@QueryParam("by") @DefaultValue("1") long by) {
        PatchResult result = counter.patch(Update.inc("value", by)).toCompletableFuture().join();
        return Json.createObjectBuilder()
                .add("value", counter.read("value", Long.class))
                .add("version", result.version())
                .build().toString();
    }

    /**
     * This process's status of the shared object.
     *
     * @return the status
     */
    public Status status() {
        return counter.status();
    }

    /** Prints the changes other processes made, as they arrive. */
    void changed(@Observes @Shared(NAME) MemSyncChange change) {
        if (change.remote() && change.state() == MemSyncChange.State.CONFIRMED) {
            System.out.println("counter = " + change.value().asJsonObject().get("value")
                    + " (version " + change.version() + ", changed by another process)");
        }
    }
}
