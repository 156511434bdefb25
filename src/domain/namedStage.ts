// A decision of an approval names the stage it decides before it is sent, so that what happens after
// an answer that leaves the write uncertain is judged for that stage. Reading the approval again
// after a lost answer shows the approver's next stage open when they approve two in a row: it is not
// a sign the write failed, and a re-send must never decide that next stage.
// https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0

import { NOT_AN_APPROVER } from './catalog/approvals';
import { APPROVAL_STATES } from './catalog/approvalView';
import {
  GraphEvidence,
  InvalidStateError,
  NO_GRAPH,
  NotForReaderError,
  RefusedByGraphError,
  StageReadRefusedError,
  UpstreamError,
  notSentAfterRead,
} from './errors';
import type { AccessTokenSource, GraphPort, StateRead } from './governancePorts';
import type { GraphCall } from './lastAnswer';
import { EarlierStage, approvedSinceTyped, earlierStages, sameId } from './laterStage';
import { CATALOG, OperationSpec, Target, decisionOf, isGuid, stateIn } from './operations';
import { personIdAt } from './itemFields';
import { RightsRefusedError } from './rights';

/**
 * The target with the stage the actor may decide now (the catalog's idFromRead), from a read; the
 * target as it is when it names one already, when the entry has none, or when the read does not
 * show one open (the write then reads and refuses as it always did). With it, the evidence of
 * Graph's answer to the read (NO_GRAPH when none was made), for the audit line of a decision then
 * not sent. A read that fails is the answer, before anything is written (NotSentError): the write
 * would read again for the stage it sends, and a re-send after its lost answer, with no stage
 * named, would decide the approver's next stage. A typed command (`actorId` its sender) sent before
 * that sender approved the stage before the open one is refused unsent (SentBeforeOwnStageError).
 */
export async function withNamedStage(
  graph: GraphPort,
  target: Target,
  token: AccessTokenSource,
  call: GraphCall = {},
  actorId?: string,
): Promise<{ readonly target: Target; readonly graph: GraphEvidence; readonly laterStage?: true }> {
  const spec = CATALOG[target.operation];
  const name = spec.idFromRead;
  if (name === undefined || isGuid(target.ids[name])) return { target, graph: NO_GRAPH };
  const read = await readForStage(graph, target, token, call);
  const id = read.item?.[name];
  if (!stateIn(read.state, spec.allowedStates) || !isGuid(id)) return { target, graph: read.graph };
  // A typed command sent before its sender approved the stage before this one never decides it.
  const since = approvedSinceTyped(target, read.item, actorId);
  if (since?.at) throw new SentBeforeOwnStageError(since.at, read.graph);
  const named = { ...target, ids: { ...target.ids, [name]: id.toLowerCase() } };
  // A stage after the named one is still to come (read.openWhile): an approval leaves the request to it.
  const later = spec.read.openWhile !== undefined && read.item?.[spec.read.openWhile] === true;
  return { target: named, graph: read.graph, ...(later ? { laterStage: true as const } : {}) };
}

/** The read that names the stage. Its 5xx or its lost answer is said as such: nothing was sent
 * (the words of a write's lost answer, "may or may not have taken effect", would not be true). */
async function readForStage(
  graph: GraphPort,
  target: Target,
  token: AccessTokenSource,
  call: GraphCall,
): Promise<StateRead> {
  try {
    if (call.budgetMs !== undefined && call.budgetMs <= 0)
      throw new UpstreamError('Microsoft Graph did not answer in time.');
    return await graph.readState(target, token, call);
  } catch (e) {
    throw stageReadFailed(e, target);
  }
}

/**
 * The error a failed read that names the stage becomes. Its 5xx or lost answer: not sent
 * (NotSentError), worded so, and never taken for a write whose answer was lost. Graph refusing it
 * (501, or a 4xx such as 405 or 422): not sent either, as no decision can be formed without the
 * stage, and worded as a refusal no retry mends (StageReadRefusedError). So is a 400 or a 409 to
 * it, which the gateway maps as an operation's (InvalidStateError): it refuses the read, and says
 * nothing of the approval's state. A 403 to a reader holding the permission: not an approver of it
 * (NotForReaderError). Other errors (403 for a missing permission, 404, 429...) are their own answer.
 */
const UNREAD = `${NOT_AN_APPROVER} Microsoft Graph shows an approval to its approvers only, so where this request stands is not known here.`;

export function stageReadFailed(e: unknown, target: Target): unknown {
  // "This API request is made by an approver"
  // (https://learn.microsoft.com/en-us/graph/api/approval-get?view=graph-rest-1.0): a reader who
  // holds the permission and is refused the approval is no approver of it (a requester trying their
  // own request, typically). Said as such, with the way to withdraw one's own, not as rights an
  // administrator grants. Nothing was read, so whether the request still waits is not known: never
  // "its approvers can still decide it".
  if (e instanceof RightsRefusedError && e.missing.length > 0 && !e.missing.includes('permission')) {
    if (CATALOG[target.operation].read.notForReader?.[APPROVAL_STATES.notMine] !== undefined)
      return new NotForReaderError(UNREAD, APPROVAL_STATES.notMine, e.graph, false);
  }
  if (e instanceof RefusedByGraphError || e instanceof InvalidStateError) {
    const status = e.graph.status === null ? '' : ` (HTTP ${e.graph.status})`;
    return new StageReadRefusedError(
      `Microsoft Graph refused${status} to tell which stage of this approval waits for you, so your decision was not sent.`,
      e.graph,
    );
  }
  return e instanceof UpstreamError ? notSentAfterRead(e, 'which stage waits for you') : e;
}

/**
 * The read proves the decision asked for: its state says so, or the stage the target names is
 * listed approved by the actor before the one now open for them (the catalog's decidedBeforeField).
 */
export function provenByRead(target: Target, read: StateRead | null, actorId: string): boolean {
  const asked = decisionOf(target);
  if (!asked || !read) return false;
  const spec = CATALOG[target.operation];
  // A stage is decided once ("already been approved by another approver in the same approval
  // stage", approvalstage-update): one Graph says another approver decided proves nothing of this
  // actor's write, which Graph refused or never took. A decider Graph does not name (approval-get's
  // example shows reviewedBy null) leaves the state as the proof. When the read shows the reader's
  // later stage, the one written is judged by its own reviewedBy (writtenStageRead), never by the
  // later stage's decider; unlisted, the state is the proof (the later stage starts only once it is
  // approved).
  const stageId = spec.idFromRead ? target.ids[spec.idFromRead] : undefined;
  if (stateIn(read.state, asked.provenBy))
    return !decidedByAnother(spec, writtenStageRead(target, read), actorId, stageId);
  if (!asked.provenBy.includes('Approved')) return false;
  return sameId(writtenStage(target, read.item)?.byId, actorId);
}

/** The stage the target names, as the read lists it approved before the stage it shows (before
 * the reader's open stage, their decided one, or the one that denied or expired the request:
 * approvalView.ts); null when unlisted. */
function writtenStage(target: Target, item: Readonly<Record<string, unknown>> | undefined): EarlierStage | null {
  const spec = CATALOG[target.operation];
  const stageId = spec.idFromRead ? target.ids[spec.idFromRead] : undefined;
  if (!stageId) return null;
  const listed = [...earlierStages(target, item), ...earlierStages(target, item, true)];
  return listed.find((s) => sameId(s.stageId, stageId)) ?? null;
}

/**
 * The read as it bears on the stage the target names when it lists that stage approved by another
 * approver Graph names, before the stage it shows (the reader's next stage open, or a later stage
 * that denied the request since): a stage is decided once, so this actor's write to it was not
 * applied, whatever the later stage shows. Null otherwise.
 */
export function writtenStageTaken(target: Target, read: StateRead, actorId: string): StateRead | null {
  const stage = writtenStage(target, read.item);
  return stage && namesAnother(stage.byId, actorId) ? writtenStageRead(target, read) : null;
}

/**
 * The read as it bears on the stage the target names: when it shows the reader's later stage
 * decided and lists the one written among those approved before it (the catalog's
 * approvedBeforeField, from each stage's reviewedBy), that stage with its decider and time; the
 * read as it is otherwise. A third approver of the stage written who approved it before this
 * write came is its decider, never the later stage's.
 */
export function writtenStageRead(target: Target, read: StateRead): StateRead {
  const spec = CATALOG[target.operation];
  const stageId = spec.idFromRead ? target.ids[spec.idFromRead] : undefined;
  const scope = spec.read.claimScopeField;
  const shown = scope ? read.item?.[scope] : undefined;
  if (!stageId || !scope || typeof shown !== 'string' || sameId(shown, stageId)) return read;
  const stage = writtenStage(target, read.item);
  const { decidedByField: byField, decidedAtField: atField, stateField } = spec.read;
  if (!stage || !byField) return read;
  const by = stage.byId === null ? null : { id: stage.byId, displayName: stage.byName };
  // Listed stages are approved ones: the state is the stage's, not the one the read shows.
  const state = APPROVAL_STATES.approved;
  const when = atField ? { [atField]: stage.at } : {};
  const item = { ...read.item, [stateField]: state, [scope]: stage.stageId, [byField]: by, ...when };
  return { ...read, state, item };
}

/** The read names who decided (the catalog's decidedByField) the stage `stageId` (when the read
 * names its stage), and it is not the actor. The all-zero id is Graph's "not reviewed"
 * (approvalstage), which names nobody. */
function decidedByAnother(spec: OperationSpec, read: StateRead, actorId: string, stageId?: string): boolean {
  const shown = spec.read.claimScopeField ? read.item?.[spec.read.claimScopeField] : undefined;
  if (stageId && typeof shown === 'string' && !sameId(shown, stageId)) return false;
  return namesAnother(personIdAt(read.item, spec.read.decidedByField), actorId);
}

/** An id that names someone other than the actor. The all-zero id is Graph's "not reviewed"
 * (approvalstage), which names nobody. */
const namesAnother = (by: string | null, actorId: string): boolean =>
  by !== null && !/^0{8}-(0{4}-){3}0{12}$/.test(by) && !sameId(by, actorId);

/**
 * A typed decision sent before its sender approved the stage before the one now open for them (the
 * same command sent twice before the first answer): refused unsent, since the sender had not seen
 * that stage open (laterStage.ts approvedSinceTyped). Audited as INVALID_STATE, as a press on a card
 * that did not show the earlier decision is.
 */
export class SentBeforeOwnStageError extends InvalidStateError {
  constructor(
    /** When the sender approved the stage before (Graph's reviewedDateTime). */
    readonly approvedAt: string,
    graph?: GraphEvidence,
  ) {
    super('The command was sent before its sender approved the stage before the open one.', null, graph);
  }
}
