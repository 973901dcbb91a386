package io.memsync.jaxrs;

import java.util.Optional;
import java.util.Set;

import io.memsync.SharedObject;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Serves many shared objects by name: {@code GET /} lists the names, and {@code /{name}/…} is a
 * {@link SharedObjectResource} over the shared object of that name (404 for an unknown one).
 *
 * <p>The class carries no {@code @Path}: the application subclasses it under a path of its choice. Names are
 * looked up with {@link #lookup(String)}, by default in {@link SharedObjectRegistry} (registered objects, then the
 * CDI extension's); override {@link #lookup(String)} and {@link #names()} to serve fewer.
 */
public class SharedObjectsResource {

    /** For subclasses and JAX-RS. */
    public SharedObjectsResource() {
    }

    /**
     * {@code GET /}: the names served.
     *
     * @return a JSON array of names
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list() {
        JsonArrayBuilder names = Json.createArrayBuilder();
        names().forEach(names::add);
        return Response.ok(names.build().toString(), MediaType.APPLICATION_JSON_TYPE)
                .cacheControl(CacheControl.valueOf("no-store")).build();
    }

    /**
     * {@code /{name}}: the resource of one shared object.
     *
     * @param name the shared object's name
     * @return its resource
     * @throws jakarta.ws.rs.NotFoundException (404) for a name {@link #lookup(String)} does not know
     */
    @Path("{name}")
    public SharedObjectResource object(@PathParam("name") String name) {
        return lookup(name).<SharedObjectResource>map(ByName::new)
                .orElseThrow(() -> Errors.notFound("no shared object named '" + name + "' is served here"));
    }

    /**
     * Finds the shared object of a name.
     *
     * @param name the name from the URL
     * @return the shared object, or empty for 404
     */
    protected Optional<SharedObject<?>> lookup(String name) {
        return SharedObjectRegistry.find(name);
    }

    /**
     * The names {@code GET /} lists.
     *
     * @return the names
     */
    protected Set<String> names() {
        return SharedObjectRegistry.names();
    }

    /**
     * The sub-resource: no public constructor, so Jersey does not inspect one for injection on every request.
     */
    private static final class ByName extends SharedObjectResource {
        private final SharedObject<?> shared;

        private ByName(SharedObject<?> shared) {
            this.shared = shared;
        }

        @Override
        protected SharedObject<?> shared() {
            return shared;
        }
    }
}
