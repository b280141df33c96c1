package dev.slmrouter.demo.report;

import java.time.Duration;
import java.util.List;

/**
 * What a report needs to know about the run beyond the topics: how many requests were produced and over
 * how long, who answered for each tier and whether that was a simulator (tier 0, in process, never is), and
 * where the traffic came from.
 */
public record RunInfo(int produced, Duration producing, String slmSource, boolean slmSimulated, String gptSource,
                      boolean gptSimulated, List<String> traffic) {

    public RunInfo {
        traffic = List.copyOf(traffic);
    }

    public String slmSourceLabel() {
        return slmSource + (slmSimulated ? " (simulated)" : "");
    }

    public String gptSourceLabel() {
        return gptSource + (gptSimulated ? " (simulated)" : "");
    }

    /** Whether answers of {@code tier} (a Tier name) came from a simulator; tier 0 always runs for real. */
    public boolean simulated(final String tier) {
        return switch (tier) {
            case "SLM" -> slmSimulated;
            case "GPT" -> gptSimulated;
            default -> false;
        };
    }

    public boolean anySimulated() {
        return slmSimulated || gptSimulated;
    }
}
