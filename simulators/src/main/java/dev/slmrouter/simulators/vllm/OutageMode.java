package dev.slmrouter.simulators.vllm;

/**
 * How a vLLM simulator that is down fails: {@link #REFUSE_CONNECTIONS} closes the listening socket
 * (a crashed or restarting server: connections are refused), {@link #SERVICE_UNAVAILABLE} keeps
 * listening and answers {@code /health} with 503 and completions with a 503 error body (a dead engine
 * behind a live API server).
 */
public enum OutageMode {
    REFUSE_CONNECTIONS,
    SERVICE_UNAVAILABLE
}
