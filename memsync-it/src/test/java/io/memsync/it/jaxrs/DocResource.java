package io.memsync.it.jaxrs;

import io.memsync.Shared;
import io.memsync.SharedObject;
import io.memsync.jaxrs.SharedObjectResource;

import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Path;

/** The one-object usage from the package documentation: {@code /doc} serves {@code @Shared("jaxrs-doc")}. */
@Path("/doc")
public class DocResource extends SharedObjectResource {
    @Inject
    @Shared(JaxRsResourceTest.DOC)
    SharedObject<JsonObject> doc;

    @Override
    protected SharedObject<?> shared() {
        return doc;
    }
}
