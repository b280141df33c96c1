package dev.slmrouter.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker-compose.yml as docker compose reads it, for the parts the tests need: services, their
 * environment (raw, and interpolated the way compose does with an empty host environment), commands,
 * volumes and dependencies.
 */
final class Compose {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** {@code $$}, {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME-default}}, {@code ${NAME:?err}}, {@code $NAME}. */
    private static final Pattern VARIABLE = Pattern.compile(
            "\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    private final JsonNode root;
    private final Map<String, String> hostEnvironment;

    private Compose(final JsonNode root, final Map<String, String> hostEnvironment) {
        this.root = root;
        this.hostEnvironment = hostEnvironment;
    }

    /** The repository's compose file, interpolated as if the host environment were empty. */
    static Compose load() {
        return parse(Repo.read("docker-compose.yml"), Map.of());
    }

    static Compose parse(final String yaml, final Map<String, String> hostEnvironment) {
        try {
            return new Compose(YAML.readTree(yaml), hostEnvironment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode root() {
        return root;
    }

    Set<String> serviceNames() {
        final Set<String> names = new LinkedHashSet<>();
        root.path("services").fieldNames().forEachRemaining(names::add);
        return names;
    }

    JsonNode service(final String name) {
        final JsonNode service = root.path("services").path(name);
        if (service.isMissingNode()) {
            throw new AssertionError("docker-compose.yml has no service '" + name + "'");
        }
        return service;
    }

    /** The service's environment exactly as written (map or KEY=VALUE list form). */
    Map<String, String> rawEnvironment(final String service) {
        final Map<String, String> env = new LinkedHashMap<>();
        final JsonNode node = service(service).path("environment");
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        } else if (node.isArray()) {
            node.forEach(item -> {
                final String text = item.asText();
                final int eq = text.indexOf('=');
                env.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? "" : text.substring(eq + 1));
            });
        }
        return env;
    }

    /** The service's environment after interpolation: what the container sees. */
    Map<String, String> environment(final String service) {
        final Map<String, String> env = new LinkedHashMap<>();
        rawEnvironment(service).forEach((k, v) -> env.put(k, interpolate(v)));
        return env;
    }

    /** The service's command (list or string form), interpolated. */
    List<String> command(final String service) {
        return stringList(service(service).path("command"));
    }

    List<String> stringList(final JsonNode node) {
        final List<String> list = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(item -> list.add(interpolate(item.asText())));
        } else if (node.isTextual()) {
            for (String part : interpolate(node.asText()).trim().split("\\s+")) {
                list.add(part);
            }
        }
        return list;
    }

    /** The value after {@code flag} in the service's command, e.g. {@code --port}. */
    Optional<String> commandOption(final String service, final String flag) {
        final List<String> command = command(service);
        for (int i = 0; i < command.size(); i++) {
            if (command.get(i).equals(flag) && i + 1 < command.size()) {
                return Optional.of(command.get(i + 1));
            }
            if (command.get(i).startsWith(flag + "=")) {
                return Optional.of(command.get(i).substring(flag.length() + 1));
            }
        }
        return Optional.empty();
    }

    /** Short-syntax volume mounts as source -> container path (":ro" and the like dropped). */
    Map<String, String> mounts(final String service) {
        final Map<String, String> mounts = new LinkedHashMap<>();
        service(service).path("volumes").forEach(v -> {
            final String[] parts = interpolate(v.asText()).split(":");
            if (parts.length >= 2) {
                mounts.put(parts[0], parts[1]);
            }
        });
        return mounts;
    }

    /** depends_on as service -> condition (the list form means service_started). */
    Map<String, String> dependsOn(final String service) {
        final Map<String, String> deps = new LinkedHashMap<>();
        final JsonNode node = service(service).path("depends_on");
        if (node.isArray()) {
            node.forEach(d -> deps.put(d.asText(), "service_started"));
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e ->
                    deps.put(e.getKey(), e.getValue().path("condition").asText("service_started")));
        }
        return deps;
    }

    /** Compose interpolation; a required variable that is unset becomes {@code <required:NAME>}. */
    String interpolate(final String value) {
        final Matcher m = VARIABLE.matcher(value);
        final StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(resolve(m)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String resolve(final Matcher m) {
        if (m.group().equals("$$")) {
            return "$";
        }
        final String name = m.group(1) != null ? m.group(1) : m.group(4);
        final String operator = m.group(2);
        final String argument = m.group(3) == null ? "" : m.group(3);
        final String set = hostEnvironment.get(name);
        if (operator == null) {
            return set == null ? "" : set;
        }
        final boolean colon = operator.startsWith(":");
        final boolean present = set != null && (!colon || !set.isEmpty());
        if (operator.endsWith("-")) {
            return present ? set : argument;
        }
        return present ? set : "<required:" + name + ">";
    }

    /** Whether {@code raw} is one variable reference with no default, e.g. {@code ${OPENAI_API_KEY:?msg}}. */
    static boolean isBareVariable(final String raw) {
        final Matcher m = VARIABLE.matcher(raw.trim());
        if (!m.matches() || m.group().equals("$$")) {
            return false;
        }
        final String operator = m.group(2);
        return operator == null || operator.endsWith("?") || m.group(3) == null || m.group(3).isEmpty();
    }
}
