package dev.slmrouter.localstack.registry;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.StoreScope;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives tests one {@link LocalSchemaRegistry} process shared by every test class of
 * the test run: {@code @ExtendWith(SchemaRegistryExtension.class)} on a class, then declare a
 * {@code LocalSchemaRegistry} parameter on a constructor, a lifecycle method or a test method (or call
 * {@link #registry(ExtensionContext)} from another extension). The registry starts the first time a class
 * needs it and lives in the launcher session's {@link ExtensionContext.Store}, which JUnit closes, and so
 * stops the process, when the test JVM's session ends. Because the registry is shared and never reset,
 * tests should use subject names of their own.
 */
public final class SchemaRegistryExtension implements BeforeAllCallback, ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(SchemaRegistryExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        // Start before the first test of the class, so a registry that cannot start fails the class once.
        registry(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == LocalSchemaRegistry.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return registry(extensionContext);
    }

    /** The shared registry of this test run, started on first use. */
    public static LocalSchemaRegistry registry(ExtensionContext context) {
        // Not the root context's store: Maven's surefire runs each test class as its own execution request,
        // so the root store is closed after every class; the launcher session spans the whole fork.
        // The store computes a missing value once and remembers a failed start, so later classes fail fast
        // with the same message instead of each waiting for another start that cannot work.
        return context.getStore(StoreScope.LAUNCHER_SESSION, NAMESPACE)
                .getOrComputeIfAbsent(LocalSchemaRegistry.class, key -> LocalSchemaRegistry.start(),
                        LocalSchemaRegistry.class);
    }
}
