package io.memsync;

/** A registration (observer, event listener) that ends when closed. Closing twice is harmless. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
    /** Ends the registration; no further calls reach its listener once this returns. */
    @Override
    void close();
}
