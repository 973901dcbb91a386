package io.memsync.cdi.runtimes;

import java.text.MessageFormat;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;

import org.apache.openwebbeans.se.OWBInitializer;
import org.apache.webbeans.config.WebBeansFinder;

/**
 * {@link DefinitionErrorContract} in OpenWebBeans SE 4. OpenWebBeans does not put the problems an extension adds
 * into the exception it throws ("There are errors that are added by AfterBeanDiscovery event observers. Look at
 * logs for further details"): it logs each one at SEVERE. The failure examined here is therefore OpenWebBeans'
 * exception together with what it logged while failing.
 */
class OpenWebBeansDefinitionErrorTest extends DefinitionErrorContract {
    static SeContainerInitializer owb() {
        return new OWBInitializer().disableDiscovery();
    }

    @Override
    protected Throwable bootFailure(Class<?>... beans) {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    String text = r.getParameters() == null ? r.getMessage() : MessageFormat.format(r.getMessage(), r.getParameters());
                    logged.add(r.getLoggerName() + ": " + text + (r.getThrown() == null ? "" : "\n" + messages(r.getThrown())));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try (SeContainer container = owb().addBeanClasses(beans).initialize()) {
            throw new AssertionError("the deployment of " + Arrays.toString(beans) + " started");
        } catch (RuntimeException e) {
            // a failed start leaves the class loader registered; the next container of the JVM needs it free
            WebBeansFinder.clearInstances(Thread.currentThread().getContextClassLoader());
            return new IllegalStateException(e.getMessage() + "\nlogged by OpenWebBeans:\n" + String.join("\n", logged), e);
        } finally {
            root.removeHandler(capture);
        }
    }
}
