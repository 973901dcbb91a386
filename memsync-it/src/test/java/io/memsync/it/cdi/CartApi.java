package io.memsync.it.cdi;

import io.memsync.jaxrs.SharedObjectsResource;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.Path;

/** The Helidon MP application's JAX-RS resource: {@code GET /memsync/it-cdi} and the rest of memsync-jaxrs. */
@RequestScoped
@Path("/memsync")
public class CartApi extends SharedObjectsResource {
}
