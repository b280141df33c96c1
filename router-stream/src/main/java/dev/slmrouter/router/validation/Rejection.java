package dev.slmrouter.router.validation;

/** A request the router will not route: the reason code and a message for a human. */
public record Rejection(RejectionReason reason, String message) {
}
