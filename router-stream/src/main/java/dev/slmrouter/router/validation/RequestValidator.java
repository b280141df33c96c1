package dev.slmrouter.router.validation;

import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.TaskType;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a decoded request can be routed at all. Everything it rejects goes to the
 * dead-letter topic with the reason; nothing it accepts can make a worker fail for a reason the
 * producer could have known.
 */
public final class RequestValidator {

    private static final Set<String> ROLES = Set.of("system", "user", "assistant");

    private final int maxPromptChars;
    private final ResponseSchemaChecker schemaChecker = new ResponseSchemaChecker();

    /** @param maxPromptChars the largest prompt (all message contents together) the router accepts */
    public RequestValidator(final int maxPromptChars) {
        this.maxPromptChars = maxPromptChars;
    }

    /** Empty when the request can be routed, else the reason it cannot. */
    public Optional<Rejection> validate(final InferenceRequest request) {
        if (request.getRequestId().isBlank()) {
            return reject(RejectionReason.MISSING_REQUEST_ID, "request_id is empty");
        }
        if (request.getTenant().isBlank()) {
            return reject(RejectionReason.MISSING_TENANT, "tenant is empty");
        }
        final Optional<Rejection> messages = checkMessages(request.getMessages());
        if (messages.isPresent()) {
            return messages;
        }
        if (request.getTaskType() == TaskType.UNKNOWN) {
            return reject(RejectionReason.UNKNOWN_TASK_TYPE,
                    "task_type is a type this router does not know (written with a newer schema?)");
        }
        final String language = request.getLanguage();
        if (language != null && !isIso6391(language)) {
            return reject(RejectionReason.INVALID_LANGUAGE_HINT,
                    "language '" + language + "' is not a lower-case ISO 639-1 code such as en");
        }
        final List<String> labels = request.getLabels();
        if (labels != null && (labels.isEmpty() || anyBlank(labels))) {
            return reject(RejectionReason.INVALID_LABELS, "labels, when given, must be non-empty strings");
        }
        final Optional<Rejection> sampling = checkSampling(request);
        if (sampling.isPresent()) {
            return sampling;
        }
        if (request.getResponseSchema() != null) {
            return schemaChecker.problemWith(request.getResponseSchema())
                    .map(problem -> new Rejection(RejectionReason.INVALID_RESPONSE_SCHEMA, problem));
        }
        return Optional.empty();
    }

    /** Two lower-case ASCII letters (checked by hand: a regex matcher per request showed in the hot path's profile). */
    private static boolean isIso6391(final String language) {
        return language.length() == 2 && isLowerAscii(language.charAt(0)) && isLowerAscii(language.charAt(1));
    }

    private static boolean isLowerAscii(final char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean anyBlank(final List<String> values) {
        for (String value : values) {
            if (value.isBlank()) {
                return true;
            }
        }
        return false;
    }

    private Optional<Rejection> checkMessages(final List<ChatMessage> messages) {
        if (messages.isEmpty()) {
            return reject(RejectionReason.MISSING_MESSAGES, "messages is empty");
        }
        long chars = 0;
        boolean anyText = false;
        for (ChatMessage message : messages) {
            if (!ROLES.contains(message.getRole())) {
                return reject(RejectionReason.INVALID_MESSAGE_ROLE,
                        "message role '" + message.getRole() + "' is not one of " + ROLES);
            }
            chars += message.getContent().length();
            anyText |= !message.getContent().isBlank();
        }
        if (!anyText) {
            return reject(RejectionReason.EMPTY_PROMPT, "every message is empty");
        }
        if (chars > maxPromptChars) {
            return reject(RejectionReason.PROMPT_TOO_LARGE,
                    "prompt has " + chars + " characters; router.max.prompt.chars is " + maxPromptChars);
        }
        return Optional.empty();
    }

    private static Optional<Rejection> checkSampling(final InferenceRequest request) {
        final Integer maxTokens = request.getMaxOutputTokens();
        if (maxTokens != null && maxTokens <= 0) {
            return reject(RejectionReason.INVALID_SAMPLING_PARAMETER,
                    "max_output_tokens must be positive, got " + maxTokens);
        }
        final Double temperature = request.getTemperature();
        if (temperature != null && !(temperature >= 0.0 && temperature <= 2.0)) {
            return reject(RejectionReason.INVALID_SAMPLING_PARAMETER,
                    "temperature must be between 0 and 2, got " + temperature);
        }
        return Optional.empty();
    }

    private static Optional<Rejection> reject(final RejectionReason reason, final String message) {
        return Optional.of(new Rejection(reason, message));
    }
}
