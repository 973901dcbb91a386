package io.memsync.it.jaxrs;

import io.memsync.Shared;
import io.memsync.SharedObject;
import io.memsync.jaxrs.SharedObjectsResource;

import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Path;

/**
 * The by-name usage: {@code /memsync/{name}}. The injection points only declare the names, so the CDI extension
 * starts those shared objects (a read-only one among them).
 */
@Path("/memsync")
public class MemSyncApi extends SharedObjectsResource {
    @Inject
    @Shared(JaxRsResourceTest.OTHER)
    SharedObject<JsonObject> other;

    @Inject
    @Shared(JaxRsResourceTest.READ_ONLY)
    SharedObject<JsonObject> readOnly;
}
