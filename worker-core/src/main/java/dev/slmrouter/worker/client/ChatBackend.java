package dev.slmrouter.worker.client;

/**
 * Something that answers Chat Completions requests: the HTTP {@link ChatCompletionClient}, or a fake
 * in a worker's tests. Calls block; a failed call throws {@link BackendException} and never returns
 * a response, so a failure cannot be mistaken for an answer.
 */
public interface ChatBackend {

    /** One call; throws {@link BackendException} when there is no chat completion to return. */
    ChatResponse complete(ChatRequest request);

    /** A cheap liveness probe: true when the backend says it is up. Never throws. */
    boolean health();
}
