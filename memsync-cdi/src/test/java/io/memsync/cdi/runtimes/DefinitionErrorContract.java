package io.memsync.cdi.runtimes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.memsync.RpcMethod;
import io.memsync.Shared;
import io.memsync.SharedObject;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

/**
 * Every invalid deployment the extension refuses, each its own test asserting the exact message, run by a
 * subclass per CDI runtime. The runtime's own wrapping of the message (exception types, prefixes, lists) is
 * the runtime's; the line memsync reports must appear in it as written here.
 */
public abstract class DefinitionErrorContract {
    private static final String HERE = DefinitionErrorContract.class.getName();

    /**
     * Boots the runtime with the extension and these bean classes, expecting the boot to fail.
     *
     * @param beans the bean classes
     * @return the failure
     * @throws AssertionError when the boot succeeds
     */
    protected abstract Throwable bootFailure(Class<?>... beans);

    /**
     * Every message of a failure: its own, its causes' and suppressed ones', one per line.
     *
     * @param failure the failure
     * @return the messages
     */
    static String messages(Throwable failure) {
        List<String> out = new ArrayList<>();
        collect(failure, out, new IdentityHashMap<>());
        return String.join("\n", out);
    }

    private static void collect(Throwable t, List<String> out, Map<Throwable, Boolean> seen) {
        if (t == null || seen.put(t, Boolean.TRUE) != null) {
            return;
        }
        out.add(t.getClass().getName() + ": " + t.getMessage());
        for (Throwable s : t.getSuppressed()) {
            collect(s, out, seen);
        }
        collect(t.getCause(), out, seen);
    }

    private String failureOf(Class<?>... beans) {
        return messages(bootFailure(beans));
    }

    @ApplicationScoped
    public static class EmptyName {
        @Inject
        @Shared("")
        SharedObject<JsonObject> cart;
    }

    @Test
    void anEmptyNameIsRefusedNamingTheInjectionPoint() {
        assertThat(failureOf(EmptyName.class))
                .contains("@Shared(\"\") on " + HERE + "$EmptyName.cart: the name must not be empty");
    }

    @ApplicationScoped
    public static class NameWithASlash {
        @Inject
        @Shared("a/b")
        SharedObject<JsonObject> cart;
    }

    @Test
    void aNameWithAPathSeparatorIsRefused() {
        assertThat(failureOf(NameWithASlash.class)).contains("@Shared(\"a/b\") on " + HERE
                + "$NameWithASlash.cart: the name must be 1-100 letters, digits, '.', '_' or '-' (no path separators)");
    }

    @ApplicationScoped
    public static class NoQualifier {
        @Inject
        SharedObject<JsonObject> cart;
    }

    @Test
    void aSharedObjectWithoutQualifierIsRefused() {
        assertThat(failureOf(NoQualifier.class))
                .contains("SharedObject injection point " + HERE + "$NoQualifier.cart needs a @Shared(\"name\") qualifier");
    }

    @ApplicationScoped
    public static class StaticRpc {
        @RpcMethod
        public static String shout() {
            return "!";
        }
    }

    @Test
    void aStaticRpcMethodIsRefused() {
        assertThat(failureOf(StaticRpc.class)).contains("@RpcMethod " + HERE + "$StaticRpc.shout() must not be static");
    }

    @ApplicationScoped
    public static class HiddenRpc {
        @RpcMethod
        String whisper() {
            return "…";
        }
    }

    @Test
    void aNonPublicRpcMethodIsRefused() {
        assertThat(failureOf(HiddenRpc.class)).contains("@RpcMethod " + HERE + "$HiddenRpc.whisper() must be public");
    }

    @ApplicationScoped
    public static class RpcOnBadName {
        @RpcMethod(shared = "two words")
        public String hello() {
            return "hello";
        }
    }

    @Test
    void anRpcMethodNamingAnInvalidSharedObjectIsRefused() {
        assertThat(failureOf(RpcOnBadName.class)).contains("@Shared(\"two words\") on @RpcMethod " + HERE
                + "$RpcOnBadName.hello(): the name must be 1-100 letters, digits, '.', '_' or '-' (no path separators)");
    }

    @ApplicationScoped
    public static class FirstPing {
        @RpcMethod("ping")
        public String ping() {
            return "1";
        }
    }

    @ApplicationScoped
    public static class SecondPing {
        @RpcMethod("ping")
        public String pong() {
            return "2";
        }
    }

    @Test
    void oneRpcNameOnTwoMethodsIsRefusedNamingBoth() {
        assertThat(failureOf(FirstPing.class, SecondPing.class)).contains("RPC method 'ping' is declared twice: by "
                + HERE + "$FirstPing.ping() and by " + HERE + "$SecondPing.pong()");
    }

    /** One document type. */
    public record Apple(int n) {
    }

    /** Another document type. */
    public record Pear(int n) {
    }

    @ApplicationScoped
    public static class TwoTypes {
        @Inject
        @Shared("rt-two-types")
        SharedObject<Apple> apples;

        @Inject
        @Shared("rt-two-types")
        SharedObject<Pear> pears;

        @Inject
        @Shared("rt-two-types")
        @SuppressWarnings("rawtypes")
        SharedObject raw;
    }

    @Test
    void oneNameBoundToTwoTypesIsRefusedNamingBothInjectionPoints() {
        assertThat(failureOf(TwoTypes.class)).contains("@Shared(\"rt-two-types\") is bound to two types: SharedObject<"
                + Apple.class.getName() + "> at " + HERE + "$TwoTypes.apples and SharedObject<" + Pear.class.getName()
                + "> at " + HERE + "$TwoTypes.pears; a shared object has one document type (inject SharedObject or "
                + "SharedObject<JsonObject> and call as(Type.class) for another view)");
    }

    @Test
    void everyProblemOfOneDeploymentIsReported() {
        assertThat(failureOf(EmptyName.class, StaticRpc.class, HiddenRpc.class))
                .contains("@Shared(\"\") on " + HERE + "$EmptyName.cart: the name must not be empty")
                .contains("@RpcMethod " + HERE + "$StaticRpc.shout() must not be static")
                .contains("@RpcMethod " + HERE + "$HiddenRpc.whisper() must be public");
    }
}
