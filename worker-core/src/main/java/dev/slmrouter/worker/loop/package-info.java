/**
 * The transactional consume-call-produce loop both workers run ({@link dev.slmrouter.worker.loop.WorkerLoop}).
 *
 * <h2>Guarantee</h2>
 * Every consumed record's outcome records (result, escalation or dead letter, from a
 * {@link dev.slmrouter.worker.loop.RecordHandler}) are committed in the same Kafka transaction as the
 * consumer offset that covers them, so {@code read_committed} readers see each outcome exactly once through
 * crashes, restarts and rebalances. Backend calls are at-least-once: work that was not committed is redone
 * by whoever owns the partition next.
 *
 * <h2>Flow</h2>
 * <ul>
 *   <li>One loop thread owns the consumer. It keeps up to {@code maxInFlight} records in the handler and up
 *       to {@code maxInFlight} more fetched and pending, so a finished call is replaced from memory at once;
 *       beyond that, or when the {@link dev.slmrouter.worker.loop.ConsumeGate} is closed, or when
 *       {@code maxBuffered} records are fetched but uncommitted, it pauses all its partitions and keeps
 *       polling (paused polls keep the group membership and cost nothing).</li>
 *   <li>Handler futures complete on any thread; completions go through a queue to the loop thread, and a
 *       completion wakes a blocked poll ({@code consumer.wakeup()}), so freed slots are refilled at once.</li>
 *   <li>Per partition, {@link dev.slmrouter.worker.loop.PartitionProgress} hands out only the contiguous
 *       done prefix (10, 11 done, 12 in flight, 13 done: commit 10 and 11 with offset 12, hold 13).</li>
 *   <li>Those outcomes are sent into the open transaction at once; when it is {@code commitInterval} old
 *       its offsets ({@code sendOffsetsToTransaction} with the consumer's group metadata, KIP-447) and the
 *       commit run on a committer thread, so the loop thread keeps dispatching during the tens of
 *       milliseconds a commit takes on a busy broker. The next transaction begins after that commit.</li>
 *   <li>If the input was written in transactions, the loop also commits the consumer position past the
 *       trailing transaction marker once a partition is idle, so the group's lag reaches 0.</li>
 * </ul>
 *
 * <h2>Failures</h2>
 * <ul>
 *   <li>Revocation: commit everything committable (waiting for a running commit first, so the generation in
 *       the offsets is still valid), then drop the revoked partitions' pending, in-flight and held work;
 *       late completions go to the dropped {@code PartitionProgress}, which refuses them.</li>
 *   <li>Lost partitions with a transaction open, a commit refused (e.g. a stale generation), any other
 *       Kafka error: abort if possible, close both clients, and start a new session from the committed
 *       offsets after {@code restartBackoff}; give up after {@code maxConsecutiveRestarts} without a commit.
 *       A commit is also refused locally when the consumer has no generation (-1), which the broker would
 *       otherwise accept as a pre-KIP-447 commit.</li>
 *   <li>Fencing ({@code ProducerFencedException}, or {@code InvalidProducerEpochException}, which is what a
 *       fenced producer sees with Kafka 4's transactions v2 and also what a transaction aborted for
 *       exceeding {@code transaction.timeout.ms} gives): stop with a
 *       {@link dev.slmrouter.worker.loop.WorkerLoopException}. Restarting would fence the newer instance
 *       with the same transactional id in turn; the process supervisor decides.</li>
 *   <li>A handler failure caused by an unreachable schema registry is not the record's fault and not a
 *       bug: the loop restarts from the committed offsets after {@code restartBackoff}, as often as it takes
 *       (these restarts do not count towards {@code maxConsecutiveRestarts}).</li>
 *   <li>A handler that fails a record (exceptional future, exception, null) is a bug: its
 *       {@link dev.slmrouter.worker.loop.RecordHandler#recover} may turn the record into an outcome (e.g. a
 *       dead letter); by default the loop stops with a {@link dev.slmrouter.worker.loop.HandlerFailedException}
 *       and commits nothing more, so the record is redone after a fix rather than lost.</li>
 * </ul>
 *
 * <h2>Lifecycle</h2>
 * {@code start()} runs the loop on its own daemon thread; {@code close(grace)} stops handing out records,
 * waits up to {@code grace} for calls in flight, commits and leaves the group; {@code kill()} simulates a
 * crash for tests (producer closed at once mid-transaction, consumer closed without leaving the group);
 * {@code terminated()} completes when the thread ends, exceptionally if the loop failed.
 */
package dev.slmrouter.worker.loop;
