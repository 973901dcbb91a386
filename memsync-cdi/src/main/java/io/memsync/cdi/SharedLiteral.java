package io.memsync.cdi;

import java.io.Serial;

import io.memsync.Shared;

import jakarta.enterprise.util.AnnotationLiteral;

/** An instance of {@link Shared}, for programmatic lookups and event qualifiers. */
public final class SharedLiteral extends AnnotationLiteral<Shared> implements Shared {
    @Serial
    private static final long serialVersionUID = 1L;
    private final String value;

    private SharedLiteral(String value) {
        this.value = value;
    }

    /**
     * The qualifier {@code @Shared(name)}.
     *
     * @param name the shared object's name
     * @return the literal
     */
    public static SharedLiteral of(String name) {
        return new SharedLiteral(name);
    }

    @Override
    public String value() {
        return value;
    }
}
