package io.memsync;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;

/** Serves an RPC method by calling an {@link RpcMethod}-annotated method of a bean. */
final class ReflectiveRpcHandler implements RpcHandler {
    private final java.util.function.Supplier<?> bean;
    private final Method method;
    private final String rpcName;

    ReflectiveRpcHandler(java.util.function.Supplier<?> bean, Method method, String rpcName) {
        this.bean = bean;
        this.method = method;
        this.rpcName = rpcName;
    }

    @Override
    public Object handle(RpcArgs args) throws Exception {
        Parameter[] params = method.getParameters();
        if (args.size() != params.length) {
            throw new MemSyncException(MemSyncException.ERR_RPC_FAILED, "RPC method '" + rpcName + "' ("
                    + method.getDeclaringClass().getName() + "." + method.getName() + ") takes " + params.length
                    + " argument(s), the caller passed " + args.size());
        }
        Object[] values = new Object[params.length];
        Type[] types = method.getGenericParameterTypes();
        for (int i = 0; i < params.length; i++) {
            try {
                values[i] = args.get(i, types[i]);
            } catch (MemSyncException e) {
                throw new MemSyncException(MemSyncException.ERR_RPC_FAILED, "RPC method '" + rpcName + "': parameter "
                        + params[i].getName() + " (#" + i + ", " + types[i].getTypeName() + ") cannot take "
                        + args.json().get(i), e);
            }
            if (values[i] == null && params[i].getType().isPrimitive()) {
                throw new MemSyncException(MemSyncException.ERR_RPC_FAILED, "RPC method '" + rpcName + "': parameter "
                        + params[i].getName() + " (#" + i + ", " + types[i].getTypeName() + ") cannot be null");
            }
        }
        try {
            return method.invoke(bean.get(), values);
        } catch (IllegalArgumentException e) {
            throw new MemSyncException(MemSyncException.ERR_RPC_FAILED, "RPC method '" + rpcName + "': arguments "
                    + args.json() + " do not fit " + method, e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }
}
