package io.memsync.cdi;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.function.Supplier;

import io.memsync.MemSyncException;
import io.memsync.RpcArgs;
import io.memsync.RpcHandler;

/** Serves an RPC name by calling an {@code @RpcMethod} of a CDI bean, looked up at each call. */
final class BeanRpcHandler implements RpcHandler {
    private final String rpcName;
    private final Method method;
    private final Supplier<Object> bean;

    BeanRpcHandler(String rpcName, Method method, Supplier<Object> bean) {
        this.rpcName = rpcName;
        this.method = method;
        this.bean = bean;
    }

    @Override
    public Object handle(RpcArgs args) throws Exception {
        Type[] types = method.getGenericParameterTypes();
        if (args.size() != types.length) {
            throw new MemSyncException(MemSyncException.ERR_RPC_FAILED, "RPC method '" + rpcName + "' ("
                    + method.getDeclaringClass().getName() + "." + method.getName() + ") takes " + types.length
                    + " argument(s), the caller passed " + args.size());
        }
        Object[] values = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            try {
                values[i] = args.get(i, types[i]);
            } catch (MemSyncException e) {
                throw new MemSyncException(MemSyncException.ERR_RPC_FAILED, "RPC method '" + rpcName + "': parameter "
                        + method.getParameters()[i].getName() + " (#" + i + ", " + types[i].getTypeName()
                        + ") cannot take " + args.json().get(i), e);
            }
            if (values[i] == null && method.getParameterTypes()[i].isPrimitive()) {
                throw new MemSyncException(MemSyncException.ERR_RPC_FAILED, "RPC method '" + rpcName + "': parameter "
                        + method.getParameters()[i].getName() + " (#" + i + ") cannot be null");
            }
        }
        try {
            return method.invoke(bean.get(), values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }
}
