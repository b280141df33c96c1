package dev.slmrouter.benchmarks.slm;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A few of the worker's own meters, scraped from its {@code /metrics} endpoint at the end of a run (the
 * meters count from the worker's start): the loop's transaction commits (count, mean and max latency),
 * the micro-batches handed to the handler, and the mean vLLM call latency the client measured.
 */
record WorkerMeters(double commits, double commitSeconds, double commitMaxSeconds, double batches,
                    double batchRecords, double calls, double callSeconds) {

    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)(\\{[^}]*\\})? (\\S+)$");

    static WorkerMeters scrape(final int port) {
        final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
        final Map<String, Double> samples = new HashMap<>();
        try (Response response = http.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/metrics")
                .build()).execute()) {
            for (String line : response.body().string().split("\n")) {
                final Matcher m = SAMPLE.matcher(line);
                if (m.matches() && (m.group(2) == null || !m.group(2).contains("le=")
                        && (!m.group(1).startsWith("worker_loop") || m.group(2).contains("loop=\"slm\"")))) {
                    samples.merge(m.group(1), Double.parseDouble(m.group(3)), Double::sum);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
        return new WorkerMeters(samples.getOrDefault("worker_loop_commit_seconds_count", 0.0),
                samples.getOrDefault("worker_loop_commit_seconds_sum", 0.0),
                samples.getOrDefault("worker_loop_commit_seconds_max", 0.0),
                samples.getOrDefault("worker_loop_batch_size_count", 0.0),
                samples.getOrDefault("worker_loop_batch_size_sum", 0.0),
                samples.getOrDefault("slm_backend_latency_seconds_count", 0.0),
                samples.getOrDefault("slm_backend_latency_seconds_sum", 0.0));
    }

    String line() {
        return String.format(Locale.ROOT, "worker meters: %,.0f commits, mean %.1f ms, max %.0f ms; %,.0f micro-batches"
                        + " of %.2f records; %,.0f vLLM calls, mean %.1f ms", commits,
                commits == 0 ? 0 : commitSeconds * 1e3 / commits, commitMaxSeconds * 1e3, batches,
                batches == 0 ? 0 : batchRecords / batches, calls, calls == 0 ? 0 : callSeconds * 1e3 / calls);
    }
}
