package io.memsync;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public method as an RPC method callable from every process of a network
 * ({@link SharedObject#call(String, Class, Object...)}).
 *
 * <p>Constraints: the method is public and not static; its name (the annotation value, or the method's name when
 * empty) is unique within the process; parameters and result are mappable through JSON-B; it may return a
 * {@link java.util.concurrent.CompletionStage}. With the builder, register the bean with
 * {@link MemSync.Builder#rpc(Object)}; in CDI, methods of enabled beans are found at deployment and registered on
 * the shared object named by {@link #shared()} (every shared object of the application when empty).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RpcMethod {
    /**
     * The RPC name; the method name when empty.
     *
     * @return the name
     */
    String value() default "";

    /**
     * In CDI applications, the shared object the method is registered on; empty means every shared object.
     *
     * @return the shared object name
     */
    String shared() default "";
}
