package dev.slmrouter.router.size;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.InferenceRequest;

/**
 * Estimates how much of a model's context window a request needs: prompt tokens counted with the
 * o200k_base encoding (GPT-4o's; a 7B SLM's tokenizer differs by some percent, far less than the
 * 40% error of chars/4, which is also 2-4x low on Chinese) plus the per-message framing of the chat
 * format, plus the output tokens the request asks for.
 */
public final class TokenEstimator {

    /** Tokens the chat format adds per message (role and separators), as OpenAI documents. */
    static final int TOKENS_PER_MESSAGE = 3;
    /** Tokens that prime the assistant's reply. */
    static final int REPLY_PRIMER_TOKENS = 3;

    private final Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    /** Prompt tokens plus requested output tokens. */
    public int estimate(final InferenceRequest request) {
        long tokens = REPLY_PRIMER_TOKENS;
        for (ChatMessage message : request.getMessages()) {
            tokens += TOKENS_PER_MESSAGE + encoding.countTokensOrdinary(message.getContent());
        }
        final Integer maxOutput = request.getMaxOutputTokens();
        if (maxOutput != null && maxOutput > 0) {
            tokens += maxOutput;
        }
        return (int) Math.min(Integer.MAX_VALUE, tokens);
    }
}
