// After a decision that may leave its item to someone else (an approved stage with a later one):
// does it, and what the card says. The catalog says which (mayLeaveOpen, read.openWhile); this
// reads the item again after the write, since the read before may not list a stage that has not
// started.

import type { Click } from './click';
import { DomainError } from './errors';
import type { GovernanceService } from './governance';
import { CATALOG, decisionOf, doneWordOf, stateIn } from './operations';

/** What a card says after a decision that leaves the item to a later stage's approvers. */
export const NEXT_STAGE = 'The request now waits for the approvers of its next stage.';
/** What a card says when the read after the decision could not tell whether another stage waits. */
const UNKNOWN_NEXT =
  'Microsoft Graph could not be read again to tell whether a later stage waits; the buttons stay until it is known.';

/**
 * Yes when the reader has a stage open again (an approver of the next stage too) or the item still
 * waits after theirs (openWhile). A read that fails cannot say: the buttons then stay (a wrong
 * "still open" corrects itself at the next click, which reads Graph; a wrong final word would not).
 */
export async function leftOpen(governance: GovernanceService, click: Click): Promise<'yes' | 'no' | 'unknown'> {
  const spec = CATALOG[click.target.operation];
  if (!decisionOf(click.target)?.mayLeaveOpen) return 'no';
  const read = await governance.currentState(click.target, click.actor);
  if (read instanceof DomainError || !read.state) return 'unknown';
  if (stateIn(read.state, spec.allowedStates)) return 'yes';
  return spec.read.openWhile !== undefined && read.item?.[spec.read.openWhile] === true ? 'yes' : 'no';
}

/** "Approved by Megan Bowen at 09:05 UTC.", and what follows when the item stays open. */
export function decidedText(click: Click, at: Date, open: 'yes' | 'no' | 'unknown'): string {
  const done = `${doneWordOf(click.target)} by ${click.userName} at ${at.toISOString().slice(11, 16)} UTC.`;
  if (open === 'yes') return `${done} ${NEXT_STAGE}`;
  return open === 'unknown' ? `${done} ${UNKNOWN_NEXT}` : done;
}
