package dev.slmrouter.simulators.vllm;

import dev.slmrouter.simulators.common.Counters;
import dev.slmrouter.simulators.common.Generation;
import dev.slmrouter.simulators.common.Script;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The state every vLLM endpoint shares: the served model and its limits, the load model and answer
 * generation, the counters, the script, and whether the simulated engine is down.
 */
record VllmEngine(String model, int maxModelLen, String version, OutageMode outageMode, VllmErrors errors,
                  Generation generation, Counters counters, Script script, AtomicBoolean down) {

    /** Down and answering 503 (in the refusing mode no request gets this far). */
    boolean unavailable() {
        return down.get();
    }
}
