package io.memsync.cdi.runtimes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.memsync.MemSyncChange;
import io.memsync.MemSyncEvent;
import io.memsync.RpcMethod;
import io.memsync.Shared;
import io.memsync.SharedObject;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;

/** The beans every runtime deploys: one application using every annotation of memsync. */
public final class Fixture {
    /** The shared object injected and observed. */
    public static final String CART = "rt-cart";
    /** A shared object that only an {@code @RpcMethod(shared = …)} names. */
    public static final String RPC_ONLY = "rt-rpc-only";

    private Fixture() {
    }

    /** The bean classes of the application. */
    static final Class<?>[] BEANS = {Shop.class, Visit.class, Stamp.class};

    /** The document bound to a record. */
    public record Cart(List<String> items, int total) {
    }

    /** A record that is not public, as an RPC argument and result. */
    record Line(String item, int quantity) {
    }

    /** Raw and typed injection, observers of changes and events, RPC methods. */
    @ApplicationScoped
    public static class Shop {
        final List<MemSyncChange> changes = new CopyOnWriteArrayList<>();
        final List<MemSyncChange> asyncChanges = new CopyOnWriteArrayList<>();
        final List<MemSyncEvent> events = new CopyOnWriteArrayList<>();
        /** Request ids seen by synchronous observers (one request context per notification). */
        final List<Integer> observerRequests = new CopyOnWriteArrayList<>();

        @Inject
        @Shared(CART)
        @SuppressWarnings("rawtypes")
        SharedObject cart;

        @Inject
        @Shared(CART)
        SharedObject<Cart> typedCart;

        @Inject
        Visit visit;

        /**
         * The raw injection point (through the client proxy, fields are the proxy's own: tests call methods).
         *
         * @return the injected object
         */
        @SuppressWarnings("rawtypes")
        public SharedObject cart() {
            return cart;
        }

        /**
         * The typed injection point.
         *
         * @return the injected object
         */
        public SharedObject<Cart> typedCart() {
            return typedCart;
        }

        /**
         * Changes seen by the synchronous observer.
         *
         * @return the changes
         */
        public List<MemSyncChange> changes() {
            return changes;
        }

        /**
         * Changes seen by the asynchronous observer.
         *
         * @return the changes
         */
        public List<MemSyncChange> asyncChanges() {
            return asyncChanges;
        }

        /**
         * Events seen by the observer.
         *
         * @return the events
         */
        public List<MemSyncEvent> events() {
            return events;
        }

        /**
         * The request-scoped bean's id in each synchronous change notification.
         *
         * @return the ids
         */
        public List<Integer> observerRequests() {
            return observerRequests;
        }

        void changed(@Observes @Shared(CART) MemSyncChange change) {
            observerRequests.add(visit.id());
            changes.add(change);
        }

        void changedAsync(@ObservesAsync @Shared(CART) MemSyncChange change) {
            asyncChanges.add(change);
        }

        void event(@Observes @Shared(CART) MemSyncEvent event) {
            events.add(event);
        }

        /**
         * Registered on every shared object of the application.
         *
         * @param who whom to greet
         * @return the greeting
         */
        @RpcMethod
        public String greet(String who) {
            return "hello " + who;
        }

        /**
         * Uses a request-scoped bean, so it fails unless the request context is active.
         *
         * @return the request's id
         */
        @RpcMethod("requestId")
        public int requestId() {
            return visit.id();
        }

        /**
         * Takes and returns a non-public record.
         *
         * @param line a line
         * @return the line doubled
         */
        @RpcMethod
        public Line twice(Line line) {
            return new Line(line.item(), line.quantity() * 2);
        }
    }

    /** A request-scoped bean: usable only while a request context is active. */
    @RequestScoped
    public static class Visit {
        private static final AtomicInteger IDS = new AtomicInteger();
        private final int id = IDS.incrementAndGet();

        /**
         * The id of this request's instance.
         *
         * @return the id
         */
        public int id() {
            return id;
        }
    }

    /** A dependent bean serving the only RPC method of {@link #RPC_ONLY}; counts its destroyed instances. */
    @Dependent
    public static class Stamp {
        static final AtomicInteger CREATED = new AtomicInteger();
        static final AtomicInteger DESTROYED = new AtomicInteger();

        /** Counts the instance. */
        public Stamp() {
            CREATED.incrementAndGet();
        }

        /**
         * Stamps a text.
         *
         * @param text the text
         * @return the stamped text
         */
        @RpcMethod(value = "stamp", shared = RPC_ONLY)
        public String stamp(String text) {
            return "[" + text + "]";
        }

        @PreDestroy
        void destroyed() {
            DESTROYED.incrementAndGet();
        }
    }
}
