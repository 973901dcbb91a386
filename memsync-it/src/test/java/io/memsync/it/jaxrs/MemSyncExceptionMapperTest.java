package io.memsync.it.jaxrs;

import java.util.Map;

import io.memsync.MemSyncException;
import io.memsync.jaxrs.MemSyncExceptionMapper;

import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every code's status and the JSON body, without a server (codes the HTTP test cannot provoke on a lone host). */
class MemSyncExceptionMapperTest {
    private final MemSyncExceptionMapper mapper = new MemSyncExceptionMapper();

    @Test
    void eachCodeHasItsStatus() {
        Map<String, Integer> expected = Map.ofEntries(
                Map.entry(MemSyncException.ERR_INVALID_PATCH, 400),
                Map.entry(MemSyncException.ERR_READ_ONLY, 403),
                Map.entry(MemSyncException.ERR_STALE_PATCH, 409),
                Map.entry(MemSyncException.ERR_PRECONDITION, 412),
                Map.entry(MemSyncException.ERR_TOO_LARGE, 413),
                Map.entry(MemSyncException.ERR_STOPPED, 503),
                Map.entry(MemSyncException.ERR_TIMEOUT, 504),
                Map.entry(MemSyncException.ERR_MAX_WRITERS, 500),
                Map.entry(MemSyncException.ERR_RPC_NOT_FOUND, 500),
                Map.entry(MemSyncException.ERR_RPC_FAILED, 500),
                Map.entry(MemSyncException.ERR_UNAUTHORIZED, 500),
                Map.entry(MemSyncException.ERR_IO, 500));
        expected.forEach((code, status) -> {
            Response r = mapper.toResponse(new MemSyncException(code, "what went wrong with 'x'"));
            assertThat(r.getStatus()).as(code).isEqualTo(status);
            assertThat(MemSyncExceptionMapper.status(code)).isEqualTo(status);
            JsonObject body = Http.json((String) r.getEntity()).asJsonObject();
            assertThat(body.getString("code")).isEqualTo(code);
            assertThat(body.getString("message")).isEqualTo("what went wrong with 'x'");
            assertThat(body.containsKey("version")).as("no version known").isFalse();
            assertThat(r.getMediaType().toString()).isEqualTo("application/json");
        });
    }

    @Test
    void aPreconditionFailureCarriesTheCurrentVersionAsBodyAndETag() {
        Response r = mapper.toResponse(new MemSyncException(MemSyncException.ERR_PRECONDITION, "version is 7, not 5", null, 2, 7));
        assertThat(r.getStatus()).isEqualTo(412);
        assertThat(Http.json((String) r.getEntity()).asJsonObject().getInt("version")).isEqualTo(7);
        assertThat(r.getEntityTag().getValue()).isEqualTo("7");
        assertThat(r.getEntityTag().isWeak()).isFalse();
    }
}
