package io.memsync.cdi.runtimes;

import io.memsync.cdi.MemSyncExtension;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.inject.Inject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link RuntimeContract} deployed by Arquillian (JUnit 5) into its embedded Weld container: the
 * {@code @Deployment} archive holds the application's beans, a {@code beans.xml} and the extension's service entry;
 * the test instance is injected by the container.
 */
@ExtendWith(ArquillianExtension.class)
class ArquillianWeldRuntimeTest extends RuntimeContract {
    @Inject
    Instance<Object> beans;

    /**
     * The application archive.
     *
     * @return the archive
     */
    @Deployment
    static JavaArchive application() {
        return ShrinkWrap.create(JavaArchive.class, "memsync-app.jar")
                .addClasses(Fixture.class, Fixture.Shop.class, Fixture.Visit.class, Fixture.Stamp.class,
                        Fixture.Cart.class, Fixture.Line.class)
                .addAsServiceProvider(Extension.class, MemSyncExtension.class)
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    @Override
    protected <T> T bean(Class<T> type) {
        return beans.select(type).get();
    }
}
