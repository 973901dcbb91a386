package io.memsync.cdi.runtimes;

import io.memsync.cdi.MemSyncExtension;

import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/** {@link DefinitionErrorContract} in Weld SE. */
class WeldSeDefinitionErrorTest extends DefinitionErrorContract {
    static Weld weld(String id) {
        return new Weld(id + "-" + System.nanoTime()).disableDiscovery().addExtension(new MemSyncExtension());
    }

    @Override
    protected Throwable bootFailure(Class<?>... beans) {
        try (WeldContainer container = weld("weld-se-invalid").addBeanClasses(beans).initialize()) {
            throw new AssertionError("the deployment of " + java.util.Arrays.toString(beans) + " started");
        } catch (RuntimeException e) {
            return e;
        }
    }
}
