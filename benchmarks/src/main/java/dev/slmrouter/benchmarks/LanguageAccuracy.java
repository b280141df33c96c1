package dev.slmrouter.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slmrouter.router.language.CompactLinguaDetector;
import dev.slmrouter.router.language.LanguageDetector;
import dev.slmrouter.router.language.LanguageDetector.LanguageGuess;
import dev.slmrouter.router.language.LinguaLanguageDetector;
import dev.slmrouter.router.language.TieredLanguageDetector;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Language detection accuracy and cost side by side, for the detector before (Lingua alone) and after
 * (script, trigram and Lingua stages), on labeled texts:
 * <ul>
 *   <li>{@code xsid-short}: the xSID test set (../shared/data/xsid, 3,750 short voice commands in 8
 *       languages, 20-45 characters), read from where it lies and never copied;</li>
 *   <li>{@code xsid-join2}, {@code xsid-join3}, {@code xsid-long}: the same commands joined two, three and
 *       five at a time per language (texts of ~40-90, ~60-130 and ~100-250 characters; the last is the size
 *       of real prompts);</li>
 *   <li>{@code prompt-mix}: the benchmark's 55 prompts with the language they were written in.</li>
 * </ul>
 * For each detector and set: texts, share accepted (confidence >= the policy's 0.05), accuracy on the
 * accepted, share both accepted and right, and CPU µs per text (calling thread plus the common fork-join
 * pool, where Lingua scores), median of {@code --rounds} passes after a warm-up pass.
 * Options: {@code --xsid=<path> --rounds=5 --detectors=lingua-high,tiered-high,router-high,compact-high,...}: Lingua
 * alone, the tiers with Lingua last (before), the router's tiers with {@link CompactLinguaDetector} last (after),
 * the compact detector alone. Also printed per detector: its load time and heap (used heap after a full GC, minus
 * before; Lingua's static models are unloaded after each detector).
 */
public final class LanguageAccuracy {

    private static final double MIN_CONFIDENCE = 0.05;

    private LanguageAccuracy() {
    }

    record Labeled(String language, String text) {
    }

    public static void main(final String[] args) throws IOException {
        final Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        final Path xsid = Path.of(options.getOrDefault("xsid", "../shared/data/xsid/xsid-0.7-test.jsonl"));
        final int rounds = Integer.parseInt(options.getOrDefault("rounds", "5"));
        final List<String> detectorNames = List.of(options.getOrDefault("detectors",
                "lingua-high,tiered-high,lingua-low,tiered-low").split(","));

        final Map<String, List<Labeled>> sets = new LinkedHashMap<>();
        if (Files.exists(xsid)) {
            final List<Labeled> shortTexts = readXsid(xsid);
            sets.put("xsid-short", shortTexts);
            sets.put("xsid-join2", joined(shortTexts, 2));
            sets.put("xsid-join3", joined(shortTexts, 3));
            sets.put("xsid-long", joined(shortTexts, 5));
        } else {
            System.out.println("SKIPPED xSID sets: " + xsid.toAbsolutePath() + " not present");
        }
        final List<Labeled> mix = new ArrayList<>();
        PromptMix.load().prompts().forEach(p -> mix.add(new Labeled(p.language(), p.text())));
        sets.put("prompt-mix", mix);

        final List<String> languages = LinguaLanguageDetector.DEFAULT_LANGUAGES;
        System.out.printf("LanguageAccuracy: %s languages, sets %s, %d timed rounds%n", languages, sets.keySet(), rounds);
        System.out.printf("%-22s %-11s %6s %9s %10s %9s %10s  %s%n", "detector", "set", "texts", "accepted",
                "acc.right", "right", "CPU us", "stages / per-language accepted%,right%");
        for (String name : detectorNames) {
            final long heapBefore = usedHeapAfterGc();
            final long start = System.nanoTime();
            final LanguageDetector detector = build(name.trim(), languages);
            final long loadMillis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("%-22s models loaded in %d ms, heap %.1f MB (used heap after a full GC, minus before)%n",
                    name.trim(), loadMillis, (usedHeapAfterGc() - heapBefore) / 1e6);
            for (Map.Entry<String, List<Labeled>> set : sets.entrySet()) {
                report(name.trim(), detector, set.getKey(), set.getValue(), rounds);
            }
            LINGUA_LOADED.forEach(LinguaLanguageDetector::unloadLanguageModels); // Lingua's models are static
            LINGUA_LOADED.clear();
        }
    }

    /** Lingua detectors built for the current detector, unloaded after it (Lingua keeps models in static maps). */
    private static final List<LinguaLanguageDetector> LINGUA_LOADED = new ArrayList<>();

    private static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static LanguageDetector build(final String name, final List<String> languages) {
        // tiered-high, tiered-low, lingua-high, lingua-low: Lingua itself as the last stage (the detector before the
        // compact tables); router-high, router-low: the router's detector (TieredLanguageDetector.forLanguages, with
        // CompactLinguaDetector as the last stage); compact-high, compact-low: CompactLinguaDetector alone.
        // tiered-high@0.2@12 sets the short-text margin and minimum trigrams.
        final String[] parts = name.split("@");
        final boolean high = parts[0].endsWith("high");
        if (parts[0].startsWith("router")) {
            return TieredLanguageDetector.forLanguages(languages, high);
        }
        if (parts[0].startsWith("compact")) {
            return CompactLinguaDetector.forLanguages(languages, high);
        }
        final LinguaLanguageDetector lingua = LinguaLanguageDetector.forLanguages(languages, high);
        LINGUA_LOADED.add(lingua);
        if (parts[0].startsWith("lingua")) {
            return lingua;
        }
        return parts.length > 1
                ? new TieredLanguageDetector(languages, lingua, !high, Double.parseDouble(parts[1]),
                        parts.length > 2 ? Integer.parseInt(parts[2]) : 0,
                        parts.length > 3 ? Integer.parseInt(parts[3]) : Integer.MAX_VALUE,
                        parts.length > 4 ? Double.parseDouble(parts[4]) : 1.0)
                : new TieredLanguageDetector(languages, lingua, !high);
    }

    private static void report(final String name, final LanguageDetector detector, final String setName,
                               final List<Labeled> texts, final int rounds) {
        final Map<String, int[]> perLanguage = new TreeMap<>();
        int accepted = 0;
        int right = 0;
        final Map<TieredLanguageDetector.Stage, Long> stagesBefore = detector instanceof TieredLanguageDetector t
                ? t.decidedByStage() : Map.of();
        for (Labeled text : texts) {
            final LanguageGuess guess = detector.detect(text.text());
            final int[] c = perLanguage.computeIfAbsent(text.language(), k -> new int[3]);
            c[0]++;
            if (guess.isoCode() != null && guess.confidence() >= MIN_CONFIDENCE) {
                accepted++;
                c[1]++;
                if (guess.isoCode().equals(text.language())) {
                    right++;
                    c[2]++;
                }
            }
        }
        final StringBuilder detail = new StringBuilder();
        if (detector instanceof TieredLanguageDetector t) {
            final Map<TieredLanguageDetector.Stage, Long> after = t.decidedByStage();
            after.forEach((stage, n) -> detail.append(stage.name().toLowerCase()).append('=')
                    .append(n - stagesBefore.getOrDefault(stage, 0L)).append(' '));
            detail.append("| ");
        }
        perLanguage.forEach((language, c) -> detail.append(String.format("%s %.0f/%.1f ", language,
                100.0 * c[1] / c[0], c[1] == 0 ? 0.0 : 100.0 * c[2] / c[1])));

        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final List<Double> cpu = new ArrayList<>();
        int sink = 0;
        for (int round = 0; round <= rounds; round++) {
            final long start = threads.getCurrentThreadCpuTime() + JvmProbe.threadsCpuNanos("ForkJoinPool.commonPool", "");
            for (Labeled text : texts) {
                sink += System.identityHashCode(detector.detect(text.text()));
            }
            final long used = threads.getCurrentThreadCpuTime()
                    + JvmProbe.threadsCpuNanos("ForkJoinPool.commonPool", "") - start;
            if (round > 0) { // round 0 warms up
                cpu.add(used / 1e3 / texts.size());
            }
        }
        System.out.printf("%-22s %-11s %6d %8.1f%% %9.1f%% %8.1f%% %10.1f  %s%s%n", name, setName, texts.size(),
                100.0 * accepted / texts.size(), accepted == 0 ? 0.0 : 100.0 * right / accepted,
                100.0 * right / texts.size(), Summary.median(cpu), detail, sink == 42 ? " " : "");
    }

    private static List<Labeled> readXsid(final Path file) throws IOException {
        final ObjectMapper json = new ObjectMapper();
        final List<Labeled> texts = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                final JsonNode row = json.readTree(line);
                texts.add(new Labeled(row.get("lang").asText(), row.get("text").asText()));
            }
        }
        return texts;
    }

    /** Consecutive texts of one language joined {@code n} at a time with ". " (a prompt-sized text). */
    static List<Labeled> joined(final List<Labeled> texts, final int n) {
        final Map<String, List<String>> byLanguage = new LinkedHashMap<>();
        texts.forEach(t -> byLanguage.computeIfAbsent(t.language(), k -> new ArrayList<>()).add(t.text()));
        final List<Labeled> result = new ArrayList<>();
        byLanguage.forEach((language, list) -> {
            for (int i = 0; i + n <= list.size(); i += n) {
                result.add(new Labeled(language, String.join(". ", list.subList(i, i + n))));
            }
        });
        return result;
    }
}
