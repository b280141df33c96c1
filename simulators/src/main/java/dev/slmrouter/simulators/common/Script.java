package dev.slmrouter.simulators.common;

import java.util.List;
import java.util.function.LongFunction;

/**
 * Decides, per request, what a simulator does: the scripted mode for exact tests. The default script
 * reads prompt markers ({@link Markers}); tests can instead script by arrival order (request 0, 1, 2...)
 * or by any function of the request. Scripts must be thread-safe: requests arrive concurrently.
 */
@FunctionalInterface
public interface Script {

    /** Reads {@code [sim:...]} markers in the prompt. */
    Script MARKERS = (request, sequence) -> Markers.parse(request.promptText());

    /**
     * @param request  the parsed request
     * @param sequence 0-based arrival number of this completion request at the simulator
     */
    Directive direct(SimRequest request, long sequence);

    /** Request number N gets {@code byArrival.apply(N)}; markers in the prompt still apply on top. */
    static Script byArrival(final LongFunction<Directive> byArrival) {
        return (request, sequence) -> byArrival.apply(sequence).merge(MARKERS.direct(request, sequence));
    }

    /** Cycles through the list by arrival order, plus prompt markers. */
    static Script cycle(final List<Directive> directives) {
        final List<Directive> copy = List.copyOf(directives);
        return byArrival(n -> copy.get((int) (n % copy.size())));
    }
}
