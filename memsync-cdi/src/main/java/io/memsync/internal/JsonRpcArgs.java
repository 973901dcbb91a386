package io.memsync.internal;

import java.lang.reflect.Type;
import java.util.Objects;

import io.memsync.MemSyncException;
import io.memsync.RpcArgs;

import jakarta.json.JsonArray;
import jakarta.json.bind.JsonbException;

/** RPC arguments received as a JSON array. */
final class JsonRpcArgs implements RpcArgs {
    private final String method;
    private final JsonArray args;

    JsonRpcArgs(String method, JsonArray args) {
        this.method = method;
        this.args = Objects.requireNonNull(args, "args");
    }

    @Override
    public int size() {
        return args.size();
    }

    @Override
    public <T> T get(int index, Class<T> type) {
        return get(index, (Type) type);
    }

    @Override
    public <T> T get(int index, Type type) {
        if (index < 0 || index >= args.size()) {
            throw new MemSyncException(MemSyncException.ERR_RPC_FAILED, "RPC method '" + method + "' needs argument "
                    + index + " but the caller passed " + args.size());
        }
        try {
            return JsonMapping.fromJson(args.get(index), type);
        } catch (JsonbException | ClassCastException | IllegalArgumentException e) {
            throw new MemSyncException(MemSyncException.ERR_RPC_FAILED, "RPC method '" + method + "': argument " + index
                    + " (" + args.get(index) + ") cannot be read as " + type.getTypeName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public JsonArray json() {
        return args;
    }
}
