package dev.slmrouter.simulators.vllm;

/**
 * The two error envelopes vLLM has used: {@link #NESTED} {@code {"error":{"message","type","param","code"}}}
 * from v0.10.1 on, {@link #FLAT} {@code {"object":"error","message","type","param","code"}} before. In
 * both, {@code code} is the HTTP status as an integer (OpenAI's is a string).
 */
public enum ErrorStyle {
    NESTED,
    FLAT
}
