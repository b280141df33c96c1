/**
 * The OpenAI-compatible Chat Completions client both workers use (vLLM's OpenAI server, OpenAI, Azure
 * OpenAI): {@link dev.slmrouter.worker.client.ChatRequest} in, {@link dev.slmrouter.worker.client.ChatResponse}
 * out, or a typed {@link dev.slmrouter.worker.client.BackendException}. The client never retries and never
 * shows a credential; retry policy, rate limiting and circuit breaking belong to the worker.
 */
package dev.slmrouter.worker.client;
