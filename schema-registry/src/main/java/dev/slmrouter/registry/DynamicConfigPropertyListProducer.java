package dev.slmrouter.registry;

import io.apicurio.common.apps.config.DynamicConfigPropertyList;
import java.util.List;
import javax.enterprise.inject.Produces;
import javax.inject.Singleton;

/**
 * Supplies the one bean that Apicurio's {@code apicurio-common-app-components-config-index} Quarkus
 * extension would have built at build time. That extension cannot be used from Maven Central (its
 * deployment jar is not published there), so the pom excludes it and this producer stands in. The list
 * names the settings an admin may change at runtime through the registry's admin API; it is empty
 * because the local registry is a throw-away test fixture configured only at start.
 */
public class DynamicConfigPropertyListProducer {

    @Produces
    @Singleton
    DynamicConfigPropertyList dynamicConfigPropertyList() {
        return new DynamicConfigPropertyList(List.of());
    }
}
