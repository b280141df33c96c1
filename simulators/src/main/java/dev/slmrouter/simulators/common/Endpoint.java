package dev.slmrouter.simulators.common;

/**
 * One route of a simulator: a function from a request to a reply. It may block (the load model sleeps
 * the handler thread for the simulated generation time) and is interrupted when the simulator closes.
 */
@FunctionalInterface
public interface Endpoint {

    HttpReply handle(SimHttpRequest request) throws InterruptedException;
}
