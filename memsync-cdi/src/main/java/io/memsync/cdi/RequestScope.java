package io.memsync.cdi;

import java.util.concurrent.Callable;

import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;

/**
 * Runs work that the engine starts on its own threads (RPC handlers, synchronous observers) with the CDI request
 * context active, as a container does for a request it serves: {@code @RequestScoped} beans work there, and each
 * run gets its own request context, ended when the run ends (unless one was already active on the thread).
 */
final class RequestScope {
    private RequestScope() {
    }

    static <T> T call(BeanManager bm, Callable<T> work) throws Exception {
        Instance<RequestContextController> controllers = bm.createInstance().select(RequestContextController.class);
        RequestContextController controller = controllers.get();
        boolean activated = controller.activate();
        try {
            return work.call();
        } finally {
            if (activated) {
                controller.deactivate();
            }
            controllers.destroy(controller);
        }
    }

    static void run(BeanManager bm, Runnable work) {
        try {
            call(bm, () -> {
                work.run();
                return null;
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
