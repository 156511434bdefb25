// The read before a decision: the request as the approver's own filter returns it, which tells
// what bars the decision before it is sent (decisionBars.ts). It fails the decision unsent when
// Graph does not answer it, and otherwise says only what it found, with Graph's last answer for
// the audit line of a decision then not sent (contract §6: `graphStatus` is Graph's last answer).

import {
  GraphEvidence,
  InvalidStateError,
  NO_GRAPH,
  NotAvailableInCloudError,
  NotFoundError,
  NotLicensedError,
  NotPermittedError,
  NotSentError,
  RefusedByGraphError,
  UpstreamError,
  isDomainError,
} from '../domain/errors';
import type { LastAnswer, RequestNames } from '../domain/lastAnswer';
import { ROW_OPERATION, WORK_KINDS } from '../domain/myWork';
import { DecisionReadSpec, OperationName, OperationSpec, Target, UndecidableSpec } from '../domain/operations';
import { holds } from '../domain/rights';
import { refuseBarred } from './decisionBars';
import { evidenceOf } from './graphErrors';
import { GraphAnswer, GraphCaller, GraphRequestLine, scopesOf, subjectOf } from './graphCaller';
import { rowOf } from './myWorkRows';
import { byIdQuery, findById } from './pagedFind';

/**
 * Reads the request through the approver's own filter, by id (the assignment requests, then the
 * eligibility requests when the token holds their permission), and refuses without the write one
 * that bars the decision (decisionBars.ts). A read refused or finding nothing says nothing either
 * way (an approver without the read's role, a stage not theirs): the write goes as before and
 * Graph's answer stands. Returns the evidence of Graph's last answer to it (NO_GRAPH when none came).
 * Every page goes with the token the read is judged by (its scopes and subject), asked once.
 */
export async function refuseBarredUnsent(
  caller: GraphCaller,
  spec: OperationSpec,
  before: DecisionReadSpec & Partial<Pick<UndecidableSpec, 'eligibility'>>,
  target: Target,
  id: string,
  {
    accessToken,
    until,
    answers,
  }: { readonly accessToken: string; readonly until: number; readonly answers?: LastAnswer },
): Promise<GraphEvidence> {
  const scopes = scopesOf(accessToken);
  const e = before.eligibility;
  // Each collection is read by its own type's filters (an eligibility request may not filter on id).
  const reads = [{ path: before.path, query: byIdQuery(before, id) }];
  if (e && (scopes === null || holds(scopes, { least: e.permission, higher: e.higher })))
    reads.push({
      path: e.path,
      query: byIdQuery({ ...before, ...(e.idFilter === false ? { idFilter: false } : {}) }, id),
    });
  let last: GraphEvidence = NO_GRAPH;
  const seen = (graph: GraphEvidence) => {
    if (graph.status !== null) last = graph;
  };
  for (const { path, query } of reads) {
    const { found } = await findById(caller.endpoint, before.version, path, query, id, (request, p) =>
      readPage(caller, spec, accessToken, { request: { ...request, answers }, path: p, until }, seen),
    );
    if (!found) continue;
    // What is decided and who asked, as "my approvals" shows them: the answer names them.
    const names = namesOf(target.operation, found.item);
    if (names) answers?.noteRequest(names);
    refuseBarred(target.operation, before, found.item, subjectOf(accessToken), last);
    return last;
  }
  return last;
}

/** The role, group or access package a request asks for and who asked, as the list's row reads
 * them (myWorkRows.ts); null when the request names neither. */
function namesOf(operation: OperationName, item: Record<string, unknown>): RequestNames | null {
  const kind = WORK_KINDS.find((k) => ROW_OPERATION.approvals[k] === operation);
  const row = kind ? rowOf(kind, item, 'approvals') : null;
  return row && (row.what || row.requester) ? { what: row.what, requester: row.requester } : null;
}

/** One page of that read; null when Graph refused it or found nothing (it then tells nothing).
 * `seen` hears the evidence of every answer, a refusal's too. */
async function readPage(
  caller: GraphCaller,
  spec: OperationSpec,
  accessToken: string,
  { request, path, until }: { readonly request: GraphRequestLine; readonly path: string; readonly until: number },
  seen: (graph: GraphEvidence) => void,
): Promise<GraphAnswer | null> {
  try {
    // Each page gets what is left of the read's one deadline; none left is a read not answered.
    const left = until - caller.now();
    if (left <= 0) throw new UpstreamError('The read before the decision ran out of time.');
    const answer = await caller.call(spec, accessToken, { ...request, budgetMs: left }, path, undefined);
    seen(evidenceOf({ ...answer, bodyText: null }));
    return answer;
  } catch (e) {
    if (isDomainError(e)) seen(e.graph);
    // A 400 refuses the read, not the decision: the function not offered in this cloud, or a
    // $filter it does not take. Said as the decision's own error, it would call a PATCH Graph
    // offers "not offered here", or an open item "not in a state that allows this". A 403 for a
    // licence refuses this read too: whether the decision needs it is Graph's to say. So does a 501
    // or a plain 4xx (405, 422): a refusal no retry mends, of the read, not of the decision.
    if (
      e instanceof RefusedByGraphError ||
      e instanceof NotPermittedError ||
      e instanceof NotLicensedError ||
      e instanceof NotFoundError ||
      e instanceof NotAvailableInCloudError ||
      e instanceof InvalidStateError
    )
      return null;
    // Unanswered or a 5xx other than 501: the PATCH was never sent, so the words of a lost write ("may or may
    // not have taken effect") and the read-and-re-send that follows one would not be true.
    if (e instanceof UpstreamError) {
      const answered = e.graph.status === null ? 'did not answer' : `failed (HTTP ${e.graph.status})`;
      throw new NotSentError(
        `Microsoft Graph ${answered} when the bot read the request before sending your decision (whether Graph can decide it, and who asked for it), so your decision was not sent.`,
        e.graph,
      );
    }
    throw e;
  }
}
