package dev.slmrouter.insights.cli;

import dev.slmrouter.common.cli.CommandArgs;
import dev.slmrouter.common.config.ConfigException;
import dev.slmrouter.common.config.Settings;
import dev.slmrouter.serde.RestSchemaRegistryClient;
import dev.slmrouter.serde.SchemaRegistryClient;
import dev.slmrouter.topics.Topics;
import java.util.HashMap;
import java.util.Map;

/** The cluster a command reads: the services' settings, with {@code --bootstrap} and {@code --registry} winning. */
record Connection(Settings settings, Map<String, String> kafka, SchemaRegistryClient registry, Topics topics) {

    static Connection of(final Settings base, final CommandArgs args) {
        final Map<String, String> overrides = new HashMap<>();
        args.get("--bootstrap").ifPresent(b -> overrides.put("kafka.bootstrap.servers", b));
        args.get("--registry").ifPresent(r -> overrides.put("schema.registry.url", r));
        final Settings s = base.with(overrides);
        final Map<String, String> kafka = s.withPrefix("kafka.");
        if (!kafka.containsKey("bootstrap.servers")) {
            throw new ConfigException("Missing required setting " + Settings.describe("kafka.bootstrap.servers")
                    + " (or --bootstrap)");
        }
        return new Connection(s, kafka, new RestSchemaRegistryClient(s.requiredString("schema.registry.url")),
                Topics.from(s::string));
    }
}
