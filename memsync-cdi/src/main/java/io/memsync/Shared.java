package io.memsync;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.inject.Qualifier;

/**
 * Qualifies a {@link SharedObject} injection point, and {@link MemSyncChange}/{@link MemSyncEvent} observers, with
 * the name of the shared object.
 *
 * <pre>{@code
 * @Inject @Shared("cart") SharedObject cart;
 * void changed(@Observes @Shared("cart") MemSyncChange change) { … }
 * }</pre>
 *
 * <p>Constraints: the name is 1–100 characters of letters, digits, {@code . _ -}, not {@code .} or {@code ..};
 * an invalid name is a deployment definition error naming the injection point.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE})
public @interface Shared {
    /**
     * The shared object's name.
     *
     * @return the name
     */
    String value();
}
