package io.memsync.it.cdi;

import io.memsync.MemSyncChange;
import io.memsync.MemSyncEvent;
import io.memsync.Shared;
import io.memsync.SharedObject;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** The application's use of memsync: the raw injection the card writes, and observers of changes and events. */
@ApplicationScoped
public class CartApp {
    /** The shared object's name. */
    public static final String NAME = "it-cdi";

    @Inject
    @Shared(NAME)
    @SuppressWarnings("rawtypes")
    SharedObject cart;

    /**
     * The injected shared object.
     *
     * @return the object
     */
    @SuppressWarnings("rawtypes")
    public SharedObject cart() {
        return cart;
    }

    void changed(@Observes @Shared(NAME) MemSyncChange change) {
        CdiPeer.say("! change " + change.state() + " " + change.origin() + " " + change.version() + " " + change.value());
    }

    void event(@Observes @Shared(NAME) MemSyncEvent event) {
        CdiPeer.say("! event " + event.event() + " " + (event.local() ? "LOCAL" : "REMOTE") + " " + event.payload());
    }
}
