package dev.slmrouter.localstack.kafka;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.StoreScope;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives tests one in-JVM {@link KafkaBroker} shared by every test class of the
 * test run: {@code @ExtendWith(KafkaBrokerExtension.class)} on a class, then declare a {@code KafkaBroker}
 * parameter on a constructor, a lifecycle method or a test method. The broker starts lazily the first time
 * a class needs it and lives in the launcher-session store, which JUnit (5.13 and later) closes, and
 * so stops the broker, when the whole run ends. (The root store would not do: surefire runs each class
 * as its own request, so a root-store broker would start and stop once per class.) Because the broker is shared, tests should
 * use unique topic and group names (see {@link KafkaTestClients#uniqueName(String)}).
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(KafkaBrokerExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        // Start here rather than on first injection so a broker failure is reported once per class,
        // before any test of the class runs.
        broker(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return broker(extensionContext);
    }

    /**
     * The shared broker of this test run, started on first use; other extensions (a schema registry,
     * a Streams app) can call this to reach the same broker.
     */
    public static KafkaBroker broker(ExtensionContext context) {
        // The store computes a missing value once even when classes run in parallel, and remembers a
        // failed start so later classes fail fast instead of retrying a 60 s start each.
        return context.getStore(StoreScope.LAUNCHER_SESSION, NAMESPACE)
                .getOrComputeIfAbsent(KafkaBroker.class, key -> KafkaBroker.start(), KafkaBroker.class);
    }
}
