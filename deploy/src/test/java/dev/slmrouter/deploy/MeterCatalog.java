package dev.slmrouter.deploy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The meters the services' code declares, found in the Java sources, and the Prometheus series each one
 * really becomes. The names are not derived by hand: each meter found is registered (same type, name, tag
 * keys, base unit, histogram or percentile options) in a real {@link PrometheusMeterRegistry} and the
 * series names and labels are read back from its scrape output. So {@code Counter "gpt.cost.usd"} yields
 * {@code gpt_cost_usd_total}, a Timer with a percentile histogram yields {@code ..._seconds_bucket},
 * {@code _count}, {@code _sum} and {@code _max}.
 */
final class MeterCatalog {

    /** A meter declaration found in a source file. */
    record Meter(String type, String name, Set<String> tagKeys, boolean tagsResolved, boolean histogram,
                 boolean percentiles, Optional<String> baseUnit, String source) {
    }

    /** A Prometheus series name with its label names and the meter it comes from. */
    record Series(String name, Set<String> labels, Meter meter) {
    }

    private static final Pattern BUILDER = Pattern.compile(
            "\\b(Counter|Timer|Gauge|DistributionSummary|LongTaskTimer|FunctionCounter|FunctionTimer|MultiGauge)"
                    + "\\s*\\.\\s*builder\\s*\\(\\s*(\"([^\"]+)\"|([A-Za-z_][A-Za-z0-9_]*))");
    private static final Pattern SHORTCUT = Pattern.compile(
            "\\.\\s*(counter|timer|gauge|summary)\\s*\\(\\s*(\"([^\"]+)\"|([A-Z_][A-Z0-9_]*))");
    private static final Pattern TAG = Pattern.compile("\\.\\s*tag\\s*\\(\\s*(\"([^\"]*)\"|[^,)]+)");
    private static final Pattern TAG_LISTS = Pattern.compile("(\\.\\s*tags|\\bTags\\s*\\.\\s*of|\\bTag\\s*\\.\\s*of)\\s*\\(");
    private static final Pattern BASE_UNIT = Pattern.compile(
            "\\.\\s*baseUnit\\s*\\(\\s*(\"([^\"]+)\"|BaseUnits\\s*\\.\\s*([A-Z_]+))");

    private final List<Meter> meters;
    private final Map<String, Series> series;

    private MeterCatalog(final List<Meter> meters, final Map<String, Series> series) {
        this.meters = meters;
        this.series = series;
    }

    /** The meters declared under the given source roots (e.g. {@code router-stream/src/main/java}). */
    static MeterCatalog scan(final Collection<Path> sourceRoots) {
        final List<Meter> found = new ArrayList<>();
        for (Path root : sourceRoots) {
            if (!Files.isDirectory(root)) {
                throw new IllegalStateException("No source folder " + root);
            }
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".java")).sorted()
                        .forEach(f -> found.addAll(metersIn(f.toString(), read(f))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return of(found);
    }

    /** The catalog of the given meters (visible for tests). */
    static MeterCatalog of(final List<Meter> meters) {
        final Map<String, Series> series = new TreeMap<>();
        for (Meter meter : meters) {
            exported(meter).forEach((name, labels) -> series.merge(name, new Series(name, labels, meter),
                    (a, b) -> {
                        final Set<String> union = new TreeSet<>(a.labels());
                        union.addAll(b.labels());
                        return new Series(name, union, a.meter().tagsResolved() && b.meter().tagsResolved()
                                ? a.meter() : (a.meter().tagsResolved() ? b.meter() : a.meter()));
                    }));
        }
        return new MeterCatalog(List.copyOf(meters), series);
    }

    List<Meter> meters() {
        return meters;
    }

    Map<String, Series> series() {
        return series;
    }

    Optional<Series> find(final String prometheusName) {
        return Optional.ofNullable(series.get(prometheusName));
    }

    /** Every meter declared in one source text. */
    static List<Meter> metersIn(final String source, final String text) {
        final String code = stripComments(text);
        final List<Meter> found = new ArrayList<>();
        final Matcher builder = BUILDER.matcher(code);
        while (builder.find()) {
            final String statement = statement(code, builder.start());
            final String name = builder.group(3) != null ? builder.group(3) : constant(code, builder.group(4));
            if (name == null) {
                throw new IllegalStateException("Cannot resolve the meter name " + builder.group(4) + " in " + source);
            }
            final String type = builder.group(1);
            final String tagScope = type.equals("MultiGauge") ? code : statement;
            found.add(meter(type, name, tagScope, statement, source));
        }
        final Matcher shortcut = SHORTCUT.matcher(code);
        while (shortcut.find()) {
            final String name = shortcut.group(3) != null ? shortcut.group(3) : constant(code, shortcut.group(4));
            if (name == null) {
                continue;
            }
            final String type = switch (shortcut.group(1)) {
                case "counter" -> "Counter";
                case "timer" -> "Timer";
                case "gauge" -> "Gauge";
                default -> "DistributionSummary";
            };
            final String statement = statement(code, shortcut.start());
            // registry.counter("name", "k1", "v1", ...) or registry.gauge("name", Tags.of(...), obj, fn)
            final List<String> args = arguments(code, code.indexOf('(', shortcut.start()));
            final Set<String> keys = new TreeSet<>();
            boolean resolved = true;
            if (args.size() > 1 && isLiteral(args.get(1))) {
                for (int i = 1; i < args.size(); i += 2) {
                    if (isLiteral(args.get(i))) {
                        keys.add(unquote(args.get(i)));
                    } else {
                        resolved = false;
                    }
                }
            } else {
                final Meter fromLists = meter(type, name, statement, statement, source);
                keys.addAll(fromLists.tagKeys());
                resolved = fromLists.tagsResolved()
                        && (args.size() <= 1 || args.get(1).contains("Tags.of") || args.get(1).contains("Tag.of")
                        || !args.get(1).matches("[A-Za-z_][A-Za-z0-9_.]*"));
            }
            found.add(new Meter(type, name, keys, resolved, false, false, Optional.empty(), source));
        }
        return found;
    }

    private static Meter meter(final String type, final String name, final String tagScope, final String statement,
                               final String source) {
        final Set<String> keys = new TreeSet<>();
        boolean resolved = true;
        final Matcher tag = TAG.matcher(tagScope);
        while (tag.find()) {
            if (tag.group(2) != null) {
                keys.add(tag.group(2));
            } else {
                resolved = false;
            }
        }
        final Matcher lists = TAG_LISTS.matcher(tagScope);
        while (lists.find()) {
            final List<String> args = arguments(tagScope, lists.end() - 1);
            if (args.size() == 1 && !isLiteral(args.get(0))) {
                resolved = false; // .tags(someTags): keys not known from the source
                continue;
            }
            for (int i = 0; i < args.size(); i += 2) {
                if (isLiteral(args.get(i))) {
                    keys.add(unquote(args.get(i)));
                } else {
                    resolved = false;
                }
            }
        }
        final boolean histogram = statement.matches("(?s).*\\.\\s*publishPercentileHistogram\\s*\\(\\s*(true)?\\s*\\).*")
                || statement.matches("(?s).*\\.\\s*(serviceLevelObjectives|sla)\\s*\\(.*");
        final boolean percentiles = statement.matches("(?s).*\\.\\s*publishPercentiles\\s*\\(\\s*[0-9].*");
        Optional<String> baseUnit = Optional.empty();
        final Matcher unit = BASE_UNIT.matcher(statement);
        if (unit.find()) {
            baseUnit = Optional.of(unit.group(2) != null ? unit.group(2) : baseUnitConstant(unit.group(3)));
        }
        return new Meter(type, name, keys, resolved, histogram, percentiles, baseUnit, source);
    }

    /** The Prometheus series (name -> label names) a meter is exported as, read from a real scrape. */
    static Map<String, Set<String>> exported(final Meter meter) {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final String[] tags = meter.tagKeys().stream().flatMap(k -> Stream.of(k, "x")).toArray(String[]::new);
        final String unit = meter.baseUnit().orElse(null);
        switch (meter.type()) {
            case "Counter" -> Counter.builder(meter.name()).tags(tags).baseUnit(unit).register(registry).increment();
            case "FunctionCounter" -> FunctionCounter.builder(meter.name(), 1.0, v -> v).tags(tags).baseUnit(unit)
                    .register(registry);
            case "Gauge", "MultiGauge" -> Gauge.builder(meter.name(), () -> 1.0).tags(tags).baseUnit(unit)
                    .register(registry);
            case "Timer", "FunctionTimer" -> {
                final Timer.Builder b = Timer.builder(meter.name()).tags(tags);
                if (meter.histogram()) {
                    b.publishPercentileHistogram();
                }
                if (meter.percentiles()) {
                    b.publishPercentiles(0.5);
                }
                b.register(registry).record(Duration.ofMillis(5));
            }
            case "LongTaskTimer" -> LongTaskTimer.builder(meter.name()).tags(tags).register(registry);
            case "DistributionSummary" -> {
                final DistributionSummary.Builder b = DistributionSummary.builder(meter.name()).tags(tags)
                        .baseUnit(unit);
                if (meter.histogram()) {
                    b.serviceLevelObjectives(0.5);
                }
                if (meter.percentiles()) {
                    b.publishPercentiles(0.5);
                }
                b.register(registry).record(0.7);
            }
            default -> throw new IllegalStateException("Unknown meter type " + meter.type());
        }
        final Map<String, Set<String>> series = new TreeMap<>();
        for (String line : registry.scrape().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            final int brace = line.indexOf('{');
            final int space = line.indexOf(' ');
            final String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
            final Set<String> labels = series.computeIfAbsent(name, n -> new TreeSet<>());
            if (brace >= 0 && brace < space) {
                final Matcher label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"")
                        .matcher(line.substring(brace, line.lastIndexOf('}') + 1));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        }
        registry.close();
        return series;
    }

    private static String baseUnitConstant(final String field) {
        try {
            return (String) BaseUnits.class.getField(field).get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Unknown BaseUnits." + field, e);
        }
    }

    /** The text from {@code start} to the end of its statement. */
    private static String statement(final String code, final int start) {
        final int end = code.indexOf(';', start);
        return code.substring(start, end < 0 ? code.length() : end);
    }

    /** The top-level comma-separated arguments of the call whose '(' is at {@code open}. */
    static List<String> arguments(final String code, final int open) {
        final List<String> args = new ArrayList<>();
        int depth = 0;
        boolean inString = false;
        int from = open + 1;
        for (int i = open; i < code.length(); i++) {
            final char c = code.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            if (c == '"') {
                inString = true;
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    final String last = code.substring(from, i).trim();
                    if (!last.isEmpty()) {
                        args.add(last);
                    }
                    return args;
                }
            } else if (c == ',' && depth == 1) {
                args.add(code.substring(from, i).trim());
                from = i + 1;
            }
        }
        return args;
    }

    private static boolean isLiteral(final String arg) {
        return arg.length() >= 2 && arg.startsWith("\"") && arg.endsWith("\"");
    }

    private static String unquote(final String literal) {
        return literal.substring(1, literal.length() - 1);
    }

    /** {@code static final String NAME = "value"} in the same file. */
    private static String constant(final String code, final String identifier) {
        final Matcher m = Pattern.compile("\\b" + Pattern.quote(identifier) + "\\s*=\\s*\"([^\"]+)\"").matcher(code);
        return m.find() ? m.group(1) : null;
    }

    /** The source with comments blanked out; string, text block and char literals are kept as they are. */
    static String stripComments(final String text) {
        final StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            final char c = text.charAt(i);
            if (text.startsWith("//", i)) {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (text.startsWith("/*", i)) {
                final int end = text.indexOf("*/", i + 2);
                i = end < 0 ? text.length() : end + 2;
                out.append(' ');
            } else if (text.startsWith("\"\"\"", i)) {
                final int end = text.indexOf("\"\"\"", i + 3);
                final int stop = end < 0 ? text.length() : end + 3;
                out.append(text, i, stop);
                i = stop;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < text.length() && text.charAt(j) != c && text.charAt(j) != '\n') {
                    j += text.charAt(j) == '\\' ? 2 : 1;
                }
                final int stop = Math.min(j + 1, text.length());
                out.append(text, i, stop);
                i = stop;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String read(final Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
