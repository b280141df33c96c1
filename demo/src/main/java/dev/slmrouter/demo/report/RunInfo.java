package dev.slmrouter.demo.report;

import java.time.Duration;
import java.util.List;

/**
 * What a report needs to know about the run beyond the topics: how many requests were produced and over
 * how long, who answered for each tier and whether that was a simulator, and where the traffic came from.
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

    public boolean anySimulated() {
        return slmSimulated || gptSimulated;
    }
}
