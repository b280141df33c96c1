package dev.slmrouter.simulators.openai;

/**
 * The two real shapes of OpenAI's 429 {@code insufficient_quota} body: {@link #STRING} has
 * {@code "code": "insufficient_quota"} (2024 on), {@link #NULL} has {@code "code": null} (2023).
 */
public enum QuotaCode {
    STRING,
    NULL
}
