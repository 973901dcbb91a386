package io.memsync;

import jakarta.json.JsonObject;

/**
 * One named JSON document shared by the processes of a network, plus its RPC methods and event bus.
 *
 * <p>Obtain one with {@link MemSync#builder(String)} or inject {@code @Shared("name") SharedObject} (raw, over the
 * JSON document) or {@code @Shared("name") SharedObject<Cart>} (with {@link #value()} mapped to a record or POJO).
 * Every operation but {@link #value()} is declared by {@link SharedDocument}, which keeps them fully typed on the
 * raw form too: {@code foo.call("getFoo", String.class)} returns a {@code CompletionStage<String>}. Reads are local
 * and never see a half-applied change. Patches apply to this process's view at once and complete when the host
 * has ordered them. Every method is thread-safe; patches from one process apply in call order.
 *
 * @param <T> the Java type {@link #value()} maps the document to ({@link JsonObject} when unbound)
 */
public interface SharedObject<T> extends SharedDocument {

    /**
     * The current document mapped to the bound type through JSON-B (on the raw type: an {@code Object}, the
     * {@link JsonObject} of {@link #data()} unless obtained with {@link #as(Class)}).
     *
     * @return the value
     */
    T value();
}
