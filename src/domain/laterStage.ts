// After a decision that may leave its item to someone else (an approved stage with a later one):
// does it, and what the card says. The catalog says which (mayLeaveOpen, read.openWhile); this
// reads the item again after the write, since the read before may not list a stage that has not
// started.

import type { Click, ClickOutcome } from './click';
import { DomainError } from './errors';
import { personAt } from './itemFields';
import type { GovernanceService } from './governance';
import { CATALOG, Target, decisionOf, doneWordOf, stateIn } from './operations';

/** What a card says after a decision that leaves the item to a later stage's approvers. */
export const NEXT_STAGE = 'The request now waits for the approvers of its next stage.';
/** What a reader is told whose approved stage is followed by one not started that is assigned to
 * them too (approvalView.ts askedAgainLater): never that nothing more is needed from them. */
export const ASKED_AGAIN_LATER =
  'A later stage of this request is assigned to you too, so it may ask you again once the stages before it are approved.';
/** What a reader is told whose written stage another approver decided first while their own
 * later stage is now open: it waits for them, and nothing of theirs was applied to it. */
export const OWN_STAGE_OPEN = 'A later stage of this request is assigned to you and now waits for your decision.';
/** The read item names a later stage of the reader's that may ask them again (approvalView.ts). */
export const askedAgainLater = (item: Readonly<Record<string, unknown>> | undefined): boolean =>
  item?.askedAgainLater === true;
/** What a card says when the read after the decision could not tell whether another stage waits. */
const UNKNOWN_NEXT =
  'Microsoft Graph could not be read again to tell whether a later stage waits; the buttons stay until it is known.';

/**
 * Yes when the reader has a stage open again (an approver of the next stage too) or the item still
 * waits after theirs (openWhile). A read that fails cannot say: the buttons then stay (a wrong
 * "still open" corrects itself at the next click, which reads Graph; a wrong final word would not).
 */
export async function leftOpen(
  governance: GovernanceService,
  click: Click,
  budgetMs?: number,
): Promise<'yes' | 'no' | 'unknown'> {
  const spec = CATALOG[click.target.operation];
  if (!decisionOf(click.target)?.mayLeaveOpen) return 'no';
  const read = await governance.currentState(click.target, click.actor, budgetMs, click.answers);
  if (read instanceof DomainError || !read.state) return 'unknown';
  if (stateIn(read.state, spec.allowedStates)) return 'yes';
  return spec.read.openWhile !== undefined && read.item?.[spec.read.openWhile] === true ? 'yes' : 'no';
}

/** "09:05 UTC on 2026-03-18": a pressed card keeps its words for good, and Teams shows when the
 * card was posted, not when it was pressed, so the day is said too; so does a typed decision's
 * answer, under the time the command was sent (cards/wording.ts, cards/refusalWording.ts). */
export function timeAndDay(at: Date): string {
  const iso = at.toISOString();
  return `${iso.slice(11, 16)} UTC on ${iso.slice(0, 10)}`;
}

/** "Approved by Megan Bowen at 09:05 UTC on 2026-03-18.", and what follows when the item stays open, or what
 * ended it since (a later stage that denied it after a write whose answer was lost). */
export function decidedText(click: Click, at: Date, open: 'yes' | 'no' | 'unknown', since?: EndedSince): string {
  const done = `${doneWordOf(click.target)} by ${click.userName} at ${timeAndDay(at)}.`;
  if (since) return `${done} ${endedSinceText(since)}`;
  if (open === 'yes') return `${done} ${NEXT_STAGE}`;
  return open === 'unknown' ? `${done} ${UNKNOWN_NEXT}` : done;
}

/** A later stage that ended the request after the actor's approval of theirs: its state (Denied,
 * Expired), who decided it and when, as Graph names them. */
export interface EndedSince {
  readonly state: string;
  readonly by: string | null;
  readonly at: string | null;
}

/** The read proves the actor's approval of the stage written by that stage's reviewer, while the
 * request reads finished another way (a later stage denied it, or expired): what ended it. Null when
 * the read's own state is the decision asked for, or the request has not ended. */
export function endedSinceOf(
  target: Target,
  read: { readonly state: string | null; readonly item?: Readonly<Record<string, unknown>> },
): EndedSince | null {
  const spec = CATALOG[target.operation];
  const asked = decisionOf(target);
  if (!read.state || !asked || stateIn(read.state, asked.provenBy) || !stateIn(read.state, spec.doneStates))
    return null;
  return {
    state: read.state,
    by: personAt(read.item, spec.read.decidedByField),
    at: textOr(read.item?.[spec.read.decidedAtField ?? '']),
  };
}

/** "A later stage has since ended the request: Denied by Lynne Robbins at 09:07 UTC on 2026-07-01." */
export function endedSinceText(since: EndedSince): string {
  const t = since.at ? Date.parse(since.at) : NaN;
  const at = Number.isNaN(t) ? '' : ` at ${timeAndDay(new Date(t))}`;
  return `A later stage has since ended the request: ${since.state}${since.by ? ` by ${since.by}` : ''}${at}.`;
}

/** A stage approved before the reader's open one, as the approval read lists it (approvalView.ts). */
export interface EarlierStage {
  readonly stageId: string;
  readonly byId: string | null;
  readonly byName: string | null;
  readonly at: string | null;
}

/** Two Entra ids (GUIDs, compared case aside); an absent one matches nothing. */
export const sameId = (a: string | null | undefined, b: string | null | undefined): boolean =>
  typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
const textOr = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The stages approved before the reader's open one (or, with `decided`, before their decided one:
 * the catalog's approvedBeforeField), in order; none when the entry lists none. */
export function earlierStages(
  target: Target,
  item: Readonly<Record<string, unknown>> | undefined,
  decided = false,
): EarlierStage[] {
  const read = CATALOG[target.operation].read;
  const field = decided ? read.approvedBeforeField : read.decidedBeforeField;
  const raw = field ? item?.[field] : undefined;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((v: unknown) => {
    const s = v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
    const stageId = textOr(s.stageId);
    return stageId ? [{ stageId, byId: textOr(s.byId), byName: textOr(s.byName), at: textOr(s.at) }] : [];
  });
}

/**
 * The latest stage before the open one that the clicker approved and that the clicked card did
 * not show decided (Target.afterStage names the last one it showed); null when there is none. Such
 * a click was pressed on the card as it was before that decision (the second click of a
 * double-click): it must not decide the stage that waits only because of it.
 */
export function unseenOwnStage(click: Click, item: Readonly<Record<string, unknown>> | undefined): EarlierStage | null {
  const stages = earlierStages(click.target, item);
  const seen = stages.findIndex((s) => sameId(s.stageId, click.target.afterStage));
  return (
    stages
      .slice(seen + 1)
      .filter((s) => sameId(s.byId, click.actor.aadObjectId) && !decidedBeforeRead(s, click.cardReadAt))
      .at(-1) ?? null
  );
}

/**
 * The latest stage before the open one that `actorId` approved at or after the moment the typed
 * command was received (Target.typedAt, less READ_CLOCK_MARGIN_MS): the command was sent before
 * that approval (the same command sent twice before the first answer), so it must not decide the
 * stage that waits only because of it. Null for a command that is not typed, or a stage whose time
 * Graph does not give (a typed command is then never refused for it: sent again, it would be again).
 */
export function approvedSinceTyped(
  target: Target,
  item: Readonly<Record<string, unknown>> | undefined,
  actorId: string | undefined,
): EarlierStage | null {
  const typedAt = target.typedAt;
  if (typedAt === undefined || !actorId) return null;
  return (
    earlierStages(target, item)
      .filter((s) => {
        const at = s.at ? Date.parse(s.at) : NaN;
        return sameId(s.byId, actorId) && !Number.isNaN(at) && at >= typedAt - READ_CLOCK_MARGIN_MS;
      })
      .at(-1) ?? null
  );
}

/**
 * Graph's reviewedDateTime and the bot's clock agree only roughly (and Graph may keep whole
 * seconds): a stage counts as decided before the card's read only this much before it, so a
 * double-click is never taken for a decision the card already showed.
 */
export const READ_CLOCK_MARGIN_MS = 5_000;

/** The stage was decided before the card's content was read (a list posted after it): the card
 * showed the request as it waits now. Unknown times count as not. */
function decidedBeforeRead(stage: EarlierStage, readAt: number | undefined): boolean {
  const at = stage.at ? Date.parse(stage.at) : NaN;
  return readAt !== undefined && !Number.isNaN(at) && at < readAt - READ_CLOCK_MARGIN_MS;
}

/**
 * After Graph refused the write of the stage a click claimed: when a read shows that stage approved
 * by someone else and the reader's next stage open, that is the answer (the card then shows it,
 * with buttons for the stage now waiting); null otherwise.
 */
export async function decidedMeanwhile(
  governance: GovernanceService,
  click: Click,
  stageId: string,
  budgetMs?: number,
): Promise<ClickOutcome | null> {
  const read = await governance.currentState(click.target, click.actor, budgetMs, click.answers);
  if (read instanceof DomainError) return null;
  const stage = earlierStages(click.target, read.item).find((s) => sameId(s.stageId, stageId));
  return stage ? { kind: 'progressed', text: earlierStageText(click, stage), stageId: stage.stageId } : null;
}

/** "Approved by Lynne Robbins at 09:05 UTC on 2026-03-18. The request now waits…": what a card shows for an
 * earlier stage approved outside this click. */
export function earlierStageText(click: Click, stage: EarlierStage): string {
  const approved = CATALOG[click.target.operation].decisions.find((d) => d.name === 'approve')?.doneWord ?? 'Approved';
  const t = stage.at ? Date.parse(stage.at) : NaN;
  const at = Number.isNaN(t) ? '' : ` at ${timeAndDay(new Date(t))}`;
  return `${approved} by ${stage.byName ?? click.userName}${at}. ${NEXT_STAGE}`;
}
