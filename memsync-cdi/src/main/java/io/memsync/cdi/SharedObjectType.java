package io.memsync.cdi;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Objects;

import io.memsync.SharedObject;

/** The parameterized type {@code SharedObject<T>}, used as a bean type. */
final class SharedObjectType implements ParameterizedType {
    private final Type argument;

    SharedObjectType(Type argument) {
        this.argument = argument;
    }

    @Override
    public Type[] getActualTypeArguments() {
        return new Type[] {argument};
    }

    @Override
    public Type getRawType() {
        return SharedObject.class;
    }

    @Override
    public Type getOwnerType() {
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterizedType p && p.getRawType().equals(SharedObject.class) && p.getOwnerType() == null
                && Arrays.equals(p.getActualTypeArguments(), getActualTypeArguments());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(getActualTypeArguments()) ^ Objects.hashCode(null) ^ SharedObject.class.hashCode();
    }

    @Override
    public String toString() {
        return SharedObject.class.getName() + "<" + argument.getTypeName() + ">";
    }
}
