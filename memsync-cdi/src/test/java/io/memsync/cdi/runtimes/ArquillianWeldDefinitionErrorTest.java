package io.memsync.cdi.runtimes;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.memsync.cdi.MemSyncExtension;

import jakarta.enterprise.inject.spi.Extension;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link DefinitionErrorContract} deployed by Arquillian into its embedded Weld container: one unmanaged
 * {@code @Deployment} per invalid application, deployed by each test through Arquillian's {@link Deployer}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ArquillianWeldDefinitionErrorTest extends DefinitionErrorContract {
    private static final Map<List<Class<?>>, String> DEPLOYMENTS = Map.of(
            List.of(EmptyName.class), "empty-name",
            List.of(NameWithASlash.class), "name-with-a-slash",
            List.of(NoQualifier.class), "no-qualifier",
            List.of(StaticRpc.class), "static-rpc",
            List.of(HiddenRpc.class), "hidden-rpc",
            List.of(RpcOnBadName.class), "rpc-on-bad-name",
            List.of(FirstPing.class, SecondPing.class), "two-pings",
            List.of(TwoTypes.class), "two-types",
            List.of(EmptyName.class, StaticRpc.class, HiddenRpc.class), "three-problems");

    @ArquillianResource
    Deployer deployer;

    private static JavaArchive archive(String name, Class<?>... beans) {
        return ShrinkWrap.create(JavaArchive.class, name + ".jar")
                .addClasses(beans)
                .addAsServiceProvider(Extension.class, MemSyncExtension.class)
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    @Deployment(name = "empty-name", managed = false)
    static JavaArchive emptyName() {
        return archive("empty-name", EmptyName.class);
    }

    @Deployment(name = "name-with-a-slash", managed = false)
    static JavaArchive nameWithASlash() {
        return archive("name-with-a-slash", NameWithASlash.class);
    }

    @Deployment(name = "no-qualifier", managed = false)
    static JavaArchive noQualifier() {
        return archive("no-qualifier", NoQualifier.class);
    }

    @Deployment(name = "static-rpc", managed = false)
    static JavaArchive staticRpc() {
        return archive("static-rpc", StaticRpc.class);
    }

    @Deployment(name = "hidden-rpc", managed = false)
    static JavaArchive hiddenRpc() {
        return archive("hidden-rpc", HiddenRpc.class);
    }

    @Deployment(name = "rpc-on-bad-name", managed = false)
    static JavaArchive rpcOnBadName() {
        return archive("rpc-on-bad-name", RpcOnBadName.class);
    }

    @Deployment(name = "two-pings", managed = false)
    static JavaArchive twoPings() {
        return archive("two-pings", FirstPing.class, SecondPing.class);
    }

    @Deployment(name = "two-types", managed = false)
    static JavaArchive twoTypes() {
        return archive("two-types", TwoTypes.class, Apple.class, Pear.class);
    }

    @Deployment(name = "three-problems", managed = false)
    static JavaArchive threeProblems() {
        return archive("three-problems", EmptyName.class, StaticRpc.class, HiddenRpc.class);
    }

    @Override
    protected Throwable bootFailure(Class<?>... beans) {
        String name = DEPLOYMENTS.get(List.of(beans));
        if (name == null) {
            throw new AssertionError("no @Deployment for " + Arrays.toString(beans));
        }
        try {
            deployer.deploy(name);
        } catch (RuntimeException e) {
            return e;
        }
        deployer.undeploy(name);
        throw new AssertionError("the deployment " + name + " started");
    }
}
