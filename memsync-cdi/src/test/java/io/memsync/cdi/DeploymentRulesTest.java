package io.memsync.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;

import io.memsync.RpcMethod;
import io.memsync.SharedObject;

import org.junit.jupiter.api.Test;

class DeploymentRulesTest {
    public static class Handlers {
        @RpcMethod
        public String a() {
            return "a";
        }

        @RpcMethod("a")
        public String other() {
            return "b";
        }

        @RpcMethod
        public static String bad() {
            return "";
        }
    }

    @Test
    void namesAreCheckedAndTheProblemNamesTheInjectionPoint() {
        assertThat(DeploymentRules.checkName("cart", "x")).isEmpty();
        assertThat(DeploymentRules.checkName("", "com.acme.Cart.items"))
                .contains("@Shared(\"\") on com.acme.Cart.items: the name must not be empty");
        assertThat(DeploymentRules.checkName("a/b", "com.acme.Cart.items")).get().asString()
                .contains("@Shared(\"a/b\") on com.acme.Cart.items").contains("path separators");
        assertThat(DeploymentRules.checkName("x".repeat(101), "p")).isPresent();
    }

    @Test
    void duplicateRpcNamesNameBothMethods() throws Exception {
        Method a = Handlers.class.getMethod("a");
        Method other = Handlers.class.getMethod("other");
        List<String> problems = DeploymentRules.duplicateRpcNames(List.of(a, other));
        assertThat(problems).singleElement().asString()
                .contains("'a'").contains(Handlers.class.getName() + ".a()").contains(Handlers.class.getName() + ".other()");
    }

    @Test
    void staticRpcMethodsAreRefused() throws Exception {
        assertThat(DeploymentRules.checkRpcMethod(Handlers.class.getMethod("bad")))
                .singleElement().asString().contains("must not be static");
    }

    @Test
    void boundTypeComesFromTheTypeArgument() throws Exception {
        record Cart(int n) {
        }
        class Holder {
            SharedObject<Cart> typed;
            @SuppressWarnings("rawtypes")
            SharedObject raw;
        }
        assertThat(DeploymentRules.boundType(Holder.class.getDeclaredField("typed").getGenericType())).isEqualTo(Cart.class);
        assertThat(DeploymentRules.boundType(Holder.class.getDeclaredField("raw").getGenericType())).isNull();
    }

    @Test
    void durationsInTheUsualForms() {
        assertThat(ConfigBinding.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ConfigBinding.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ConfigBinding.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(ConfigBinding.parseDuration("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
        assertThat(ConfigBinding.parseDuration("250")).isEqualTo(Duration.ofMillis(250));
    }
}
