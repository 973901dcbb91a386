package io.memsync.cdi;

import java.lang.reflect.Method;
import java.util.concurrent.CompletionStage;

import io.memsync.RpcArgs;
import io.memsync.RpcHandler;

import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;

/**
 * Serves an {@link io.memsync.RpcMethod} of a CDI bean: each call runs with the request context active, takes a
 * contextual reference of the bean, and releases it afterwards, so a {@code @Dependent} bean's instance of the
 * call is destroyed ({@code @PreDestroy} runs) when the call ends, or when the {@link CompletionStage} it returned
 * completes. Normal-scoped beans are called through their client proxy and live as their scope says.
 */
final class BeanRpcHandler implements RpcHandler {
    private final BeanManager bm;
    private final Bean<?> bean;
    private final Method method;
    private final String rpcName;
    private final String sharedName;
    private final RpcTiming timing;

    BeanRpcHandler(BeanManager bm, Bean<?> bean, Method method, String rpcName, String sharedName, RpcTiming timing) {
        this.bm = bm;
        this.bean = bean;
        this.method = method;
        this.rpcName = rpcName;
        this.sharedName = sharedName;
        this.timing = timing;
    }

    @Override
    public Object handle(RpcArgs args) throws Exception {
        return timing.time(sharedName, rpcName, () -> call(args));
    }

    private Object call(RpcArgs args) throws Exception {
        return RequestScope.call(bm, () -> {
            CreationalContext<?> context = bm.createCreationalContext(bean);
            boolean released = true;
            try {
                Object target = bm.getReference(bean, bean.getBeanClass(), context);
                Object result = RpcHandler.ofMethod(rpcName, method, () -> target).handle(args);
                if (result instanceof CompletionStage<?> stage) {
                    released = false;
                    return stage.whenComplete((v, e) -> context.release());
                }
                return result;
            } finally {
                if (released) {
                    context.release();
                }
            }
        });
    }

    @Override
    public String toString() {
        return "@RpcMethod " + method.getDeclaringClass().getName() + "." + method.getName() + "() as '" + rpcName + "'";
    }
}
