// What a write Graph refused tells the person, beyond the refusal itself: which cloud lacks the
// call, whether the item is among their own (so the card can say which way in was missing), and
// where the item stands when Graph refused its state without naming it. The reads here are
// courtesies: when one fails, the write's own answer stands.

import { DecidedElsewhereError, InvalidStateError, NotAvailableInCloudError } from './errors';
import { CATALOG, CLOUD_NAMES, Cloud, OperationSpec, Target, stateIn } from './operations';
import { RightsRefusedError } from './rights';
import { createdByAnother, creatorOf } from './requestCreator';
import { decidedElsewhere } from './decidedElsewhere';
import { writtenStageTaken } from './namedStage';
import type { GraphCall } from './lastAnswer';
import type { Actor, GraphPort } from './governancePorts';

/** The docs may list the call for this cloud while Graph here has no such route (§9, §13): the
 * gateway cannot tell which cloud it is in, so "not offered" names this one. Other errors as they are. */
export function inThisCloud(e: unknown, spec: OperationSpec, cloud: Cloud): unknown {
  if (!(e instanceof NotAvailableInCloudError)) return e;
  const words = `${spec.title} is not offered by Microsoft Graph in ${CLOUD_NAMES[cloud]}.`;
  return new NotAvailableInCloudError(words, cloud, e.graph);
}

/**
 * Graph refused the rights: whether the item is among the user's own decides which way in
 * applied (self-service, or the admin permission and role), so the card can say what was missing.
 * Not among them is all the read tells: the item may be someone else's or may not exist.
 */
export async function withOwnership(
  graph: GraphPort,
  e: RightsRefusedError,
  target: Target,
  actor: Actor,
  call: GraphCall,
): Promise<RightsRefusedError> {
  try {
    const own = await graph.readOwn?.(target, actor.getToken, call);
    if (own === undefined) return e;
    return e.withOwnership(own !== null, own !== null && createdByOther(own.item, actor.aadObjectId));
  } catch {
    // The read is a courtesy; the write's own answer stands.
    return e;
  }
}

/** Graph refused the state without naming it: a read tells the user where the item stands. */
export async function withCurrentState(
  graph: GraphPort,
  e: InvalidStateError,
  target: Target,
  actor: Actor,
  call: GraphCall,
): Promise<InvalidStateError | DecidedElsewhereError> {
  const spec = CATALOG[target.operation];
  try {
    const read = await graph.readState(target, actor.getToken, call);
    // The approver's next stage is open and the stage written is listed approved by another
    // approver (Graph's 409: "already been approved by another approver in the same approval
    // stage", approvalstage-update): theirs is the decision, and the next stage waits for this one.
    const taken = stateIn(read.state, spec.allowedStates) ? writtenStageTaken(target, read, actor.aadObjectId) : null;
    if (taken) {
      const message = `The ${spec.noun}'s stage written was approved by someone else.`;
      return decidedElsewhere(message, taken, target, actor, e.graph, 'afterRefusal', true);
    }
    // A state no decision makes (an approval stage that expired, nobody having decided it) is
    // said as it is, never as someone's decision.
    const decided = spec.decisions.some((d) => stateIn(read.state, d.provenBy));
    if (spec.read.decidedByField && decided) {
      // Graph says who decided (an approval stage's reviewer): tell the user, not just the state.
      return decidedElsewhere(
        `The ${spec.noun} is already ${read.state}.`,
        read,
        target,
        actor,
        e.graph,
        'afterRefusal',
      );
    }
    if (read.state) return new InvalidStateError(e.message, read.state, e.graph);
  } catch {
    // The read is a courtesy; the write's own answer stands.
  }
  return e;
}

/**
 * Whether a PIM request names a creator other than the user (requestCreator.ts): an assignment an
 * administrator (or an application) made for them. Items without that field (access packages name a
 * requestor) say no.
 */
function createdByOther(item: Readonly<Record<string, unknown>> | undefined, userId: string): boolean {
  return createdByAnother(creatorOf(item?.createdBy), userId);
}
