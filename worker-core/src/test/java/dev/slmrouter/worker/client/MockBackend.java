package dev.slmrouter.worker.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** A MockWebServer with helpers for JSON answers; one per test. */
final class MockBackend implements AutoCloseable {

    final MockWebServer server = new MockWebServer();

    MockBackend() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        return server.url("/v1").toString();
    }

    ChatCompletionClient client() {
        return ChatCompletionClient.builder(baseUrl()).readTimeout(Duration.ofSeconds(5)).build();
    }

    void answer(final int status, final String body, final String... headerLines) {
        final MockResponse.Builder response = new MockResponse.Builder().code(status)
                .addHeader("Content-Type", "application/json").body(body);
        for (String line : headerLines) {
            response.addHeader(line);
        }
        server.enqueue(response.build());
    }

    void enqueue(final MockResponse response) {
        server.enqueue(response);
    }

    RecordedRequest take() {
        try {
            return server.takeRequest();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
