// What a click shows when Graph's state, not the click, decides: the claim a target takes, and
// the sentence for an item that is already finished (by whom and when, when Graph says so).

import type { ClaimView } from './cardActionPorts';
import type { ClickOutcome } from './click';
import { personAt, personIdAt } from './itemFields';
import { ASKED_AGAIN_LATER, askedAgainLater, timeAndDay } from './laterStage';
import { CATALOG, Target, decisionOf, stateIn, targetIdOf } from './operations';

/** The claim of a target; scoped by the entry's claimScopeField when the read names one. */
export function claimKey(target: Target, item?: Readonly<Record<string, unknown>>): string {
  const base = `${target.operation}:${targetIdOf(target).toLowerCase()}`;
  const scope = claimScope(target, item);
  return scope !== undefined ? `${base}:${scope.toLowerCase()}` : base;
}

/** `presserId` is the clicker's object id: a decision Graph names as theirs is not "someone else's". */
export function graphStateOutcome(
  target: Target,
  state: string,
  item?: Readonly<Record<string, unknown>>,
  presserId?: string,
): ClickOutcome {
  // Only the state that proves this button's own decision is "already done"; another finished
  // state (a task rejected when this button approves) is someone else's different decision.
  const decision = decisionOf(target);
  const spec = CATALOG[target.operation];
  // Who decided and when, for entries whose item names the decider (an approval stage's reviewer).
  const named = spec.read.decidedByField !== undefined;
  const who = named ? personAt(item, spec.read.decidedByField) : null;
  const at = named ? whenAt(item, spec.read.decidedAtField) : null;
  const byWhom = `${who ? ` by ${who}` : ''}${at ? ` at ${at}` : ''}`;
  const shown = spelled(state);
  // Graph's read names nobody for most entries: it may have been this same user (in the chat, or
  // this card before), so nothing is said of where or by whom unless the item says it.
  if (stateIn(state, decision?.provenBy ?? spec.doneStates)) {
    // A later stage assigned to the reader too may ask them again: not "nothing more to do".
    const then = askedAgainLater(item) ? `. ${ASKED_AGAIN_LATER}` : '; nothing more to do.';
    return { kind: 'settled', text: `Already ${shown}${byWhom}${then}`, style: 'good' };
  }
  if (stateIn(state, spec.doneStates)) {
    const asked = decision?.button ?? 'this action';
    // The presser decided it otherwise before (a typed command, another copy of the card). The
    // card may be everyone's (a channel), so it says who, not "you".
    const byId = named ? personIdAt(item, spec.read.decidedByField) : null;
    if (who && presserId && byId?.toLowerCase() === presserId.toLowerCase())
      return {
        kind: 'settled',
        text: `Already ${shown.toLowerCase()}${byWhom}, so "${asked}" was not applied.`,
        style: 'warning',
      };
    // A state no decision makes (an approval that expired, nobody having decided it) is no one's;
    // an item that names no decider (a custom task's result) may have been decided by this same
    // presser (in the chat) or by no one (the callout's timeout): "someone else" only when named,
    // and an approval stage whose reviewedBy is null names no one either.
    const decided = who !== null && spec.decisions.some((d) => stateIn(state, d.provenBy));
    return {
      kind: 'settled',
      text: decided
        ? `Someone else already decided: it is ${shown}${byWhom} now, so "${asked}" was not applied.`
        : `It is ${shown}${byWhom} now, so "${asked}" was not applied.`,
      style: 'warning',
    };
  }
  return { kind: 'settled', text: `It is ${shown} now, so there is nothing to do here.`, style: 'warning' };
}

/** Graph's state in the bot's own spelling: Graph writes "Canceled"/"canceled" and "canceling",
 * every other card of the bot says "Cancelled by …". Other states are shown as Graph names them. */
function spelled(state: string): string {
  if (/^canceled$/i.test(state)) return 'cancelled';
  if (/^canceling$/i.test(state)) return 'being cancelled';
  return state;
}

/** The value of the entry's claimScopeField on the read item (an approval's stage), if any. */
export function claimScope(target: Target, item?: Readonly<Record<string, unknown>>): string | undefined {
  const field = CATALOG[target.operation].read.claimScopeField;
  const scope = field ? item?.[field] : undefined;
  return typeof scope === 'string' && scope !== '' ? scope : undefined;
}

/** What a click shows when the item's claim already holds an outcome (or is still held); `stageId`
 * is the claim's scope (the stage it decided), for a card that keeps its buttons. */
export function claimOutcome(record: ClaimView, stageId?: string): ClickOutcome {
  const outcome = record.outcome;
  if (!outcome) return { kind: 'busy', holderName: record.holder.userName ?? 'Someone' };
  if (outcome.final === false) return { kind: 'progressed', text: outcome.summary, ...(stageId ? { stageId } : {}) };
  const succeeded = outcome.outcome === 'succeeded';
  // The bot's own decision: the card remembers it as its final word (cardGate.ts).
  return {
    kind: 'settled',
    text: outcome.summary,
    style: succeeded ? 'good' : 'warning',
    ...(succeeded ? { own: true as const } : {}),
  };
}

/** A Graph timestamp in a sentence, as the press's own words and a typed decision's answer say it
 * ("08:30 UTC on 2026-03-18", laterStage.ts timeAndDay): the notice stays in the chat under the
 * time the card was posted. Null when the item has none. */
function whenAt(item: Readonly<Record<string, unknown>> | undefined, field: string | undefined): string | null {
  const v = field ? item?.[field] : undefined;
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? null : timeAndDay(new Date(t));
}
