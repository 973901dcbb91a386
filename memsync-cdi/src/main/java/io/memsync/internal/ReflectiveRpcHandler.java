package io.memsync.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;

import io.memsync.MemSyncException;
import io.memsync.RpcArgs;
import io.memsync.RpcHandler;

/**
 * Serves an RPC method by calling a public method of a bean (an {@link io.memsync.RpcMethod}-annotated one, or any
 * given to {@link RpcHandler#ofMethod}), mapping each argument to the method's generic parameter type. Public only
 * so that {@code io.memsync} can create it; internal to memsync, not API.
 */
public final class ReflectiveRpcHandler implements RpcHandler {
    private final java.util.function.Supplier<?> bean;
    private final Method method;
    private final String rpcName;

    /**
     * Creates the handler.
     *
     * @param bean    supplies the object to call the method on, at each call
     * @param method  a public method
     * @param rpcName the RPC name, for messages
     */
    public ReflectiveRpcHandler(java.util.function.Supplier<?> bean, Method method, String rpcName) {
        this.bean = bean;
        this.method = method;
        this.rpcName = rpcName;
    }

    /**
     * Maps the arguments to the method's parameters and calls it.
     *
     * @param args the caller's arguments
     * @return what the method returned
     * @throws MemSyncException {@link MemSyncException#ERR_RPC_FAILED} when the argument count or a type does
     *                          not fit, naming the parameter
     * @throws Exception        what the method threw
     */
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
