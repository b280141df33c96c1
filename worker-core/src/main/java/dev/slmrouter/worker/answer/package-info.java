/**
 * Checks of a model's answer that do not depend on where it came from: a confidence from token
 * log-probabilities ({@link dev.slmrouter.worker.answer.Confidence}), JSON Schema validity
 * ({@link dev.slmrouter.worker.answer.AnswerSchemaValidator}) and the mapping of a text to an allowed
 * label ({@link dev.slmrouter.worker.answer.LabelMatcher}). The worker turns their results into a result
 * or an escalation.
 */
package dev.slmrouter.worker.answer;
