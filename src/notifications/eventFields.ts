// The field readers an event's parser (events.ts) is built from: each reports what is wrong with a
// field in words a sender can act on, and the parser collects them all, so a sender fixes every
// problem in one go instead of one per attempt. They live apart from the parser so it reads as the
// list of what each kind carries.

import { PIM_APPROVAL_LIFETIME_MS } from '../alerts/reminders';
import { characterCount, firstCharacters } from '../domain/characters';
import { nearlyGuidHint } from '../domain/idProblem';
import { NotificationKind, isGuid } from '../domain/operations';
import { Unshown, shownName, unshowable } from '../domain/shownNames';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A field as the sender wrote it: `requestId` at the top of the event, `target.userId` inside. */
const pathOf = (where: string, field: string): string => (where ? `${where}.${field}` : field);

export class Problems {
  readonly list: string[] = [];
  add(p: string): void {
    this.list.push(p);
  }
  /** An id: refused when not a GUID, saying what is wrong when it is nearly one (idProblem.ts). */
  guid(o: Obj | undefined, field: string, where: string): string {
    const v = o?.[field];
    if (!isGuid(v)) {
      this.guidProblem(pathOf(where, field), v);
      return '';
    }
    return v.toLowerCase();
  }
  /** The refusal of `v` as the id `named` (a field's path, or an id inside one), with advice for the
   * program that sent it. */
  guidProblem(named: string, v: unknown): void {
    this.add(`${named} must be a GUID.${nearlyGuidHint(v, 'program')}`);
  }
  text(o: Obj | undefined, field: string, where: string, max: number, required = false): string {
    const v = this.stringField(o, field, where, required);
    if (v === null) return '';
    if (characterCount(v) > max) this.add(`${pathOf(where, field)} must be at most ${max} characters.`);
    const unshown = unshowable(v);
    if (unshown) this.add(`${pathOf(where, field)} contains ${unshown.described}; send the text without it.`);
    return firstCharacters(v, max);
  }
  /** A name the event passes on from the directory (a person's, a role's, a group's, a workflow's,
   * a custom task's): not the sender's to rewrite (a callout is Lifecycle Workflows' own payload),
   * so a character `text` refuses is left out of it instead (half a surrogate pair shown as U+FFFD),
   * a name longer than `max` is shortened to its first `max - 1` characters and "…", and `notice`
   * tells the sender. Refused, the card would never come: a custom task never resumed
   * from Teams. */
  name(o: Obj | undefined, field: string, where: string, max: number, notice: (text: string) => void): string {
    const v = this.stringField(o, field, where, false);
    if (v === null) return '';
    const shown = shownName(v, max);
    if (shown.left.length > 0) notice(leftOut(pathOf(where, field), shown.left));
    // Nor refused for a length the directory allows (a user's or a group's displayName may have
    // 256 characters): shortened, with a notice. Longer is no name from the directory.
    if (shown.length > DIRECTORY_NAME_MOST)
      this.add(`${pathOf(where, field)} must be at most ${DIRECTORY_NAME_MOST} characters.`);
    else if (shown.length > max)
      notice(
        `${pathOf(where, field)} is ${shown.length} characters long; the card shows its first ${max - 1} followed by "…".`,
      );
    return shown.text;
  }
  /** The string a field holds; null when absent (a problem when `required`) or not a string. */
  private stringField(o: Obj | undefined, field: string, where: string, required: boolean): string | null {
    const v = o?.[field];
    if (v === undefined || v === null) {
      if (required) this.add(`${pathOf(where, field)} is required.`);
      return null;
    }
    if (typeof v !== 'string') {
      this.add(`${pathOf(where, field)} must be a string.`);
      return null;
    }
    return v;
  }
}

/** The most characters a directory name has: a user's or a group's displayName
 * (https://learn.microsoft.com/en-us/graph/api/resources/user,
 * https://learn.microsoft.com/en-us/graph/api/resources/group). */
const DIRECTORY_NAME_MOST = 256;

/** The notice of a name shown without `met` (distinct, in the order met; at most 3 named). */
function leftOut(path: string, met: readonly Unshown[]): string {
  const named = met.slice(0, 3).map((u) => `${u.code} (${u.what})`);
  const more = met.length > 3 ? ` and ${met.length - 3} more` : '';
  const surrogate = met.some((u) => u.surrogate) ? ' (half a surrogate pair is shown as U+FFFD)' : '';
  return `${path} holds ${named.join(', ')}${more}, which the card leaves out${surrogate}.`;
}

/** An ISO 8601 date and time with its time zone (Z or an offset), as Graph writes them. */
const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** The day a year, month and day name, in the proleptic Gregorian calendar ISO 8601 uses. Not
 * Date.UTC, which reads the years 0-99 as 1900-1999: 0000-02-29 (year 0 is a leap year, 1900 is
 * not) would look impossible. setUTCFullYear takes the year as written. */
function utcDay(year: number, month: number, day: number): Date {
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  return at;
}

/** The moment an ISO 8601 date and time names (epoch ms); 'format' when it is not one; 'impossible'
 * for a day the month does not have or an hour past 23 (Date.parse would roll 30 February over
 * into March). */
function dateTime(v: unknown): number | 'format' | 'impossible' {
  const m = typeof v === 'string' ? DATE_TIME_RE.exec(v) : null;
  if (!m) return 'format';
  const [y, mo, d, h, mi, sec, oh, om] = m.slice(1).map((x) => Number(x ?? '0'));
  const day = utcDay(y!, mo!, d!);
  const valid =
    day.getUTCFullYear() === y &&
    day.getUTCMonth() === mo! - 1 &&
    day.getUTCDate() === d &&
    h! <= 23 &&
    mi! <= 59 &&
    sec! <= 59 &&
    oh! <= 23 &&
    om! <= 59;
  return valid ? Date.parse(v as string) : 'impossible';
}

/**
 * `approvalExpiresDateTime` of an access package event: when its approval (the stage waiting now) is
 * denied automatically, which only the sender can know (for a first stage, the request's
 * createdDateTime plus the stage's durationBeforeAutomaticDenial:
 * https://learn.microsoft.com/en-us/graph/api/resources/accesspackageapprovalstage). With it the
 * approval is reminded 4 hours before in the channels following "approvals"; without it, never.
 * PIM approvals lapse 24 hours after the request whatever an event says, and the other kinds have
 * no approval, so only access package events may carry it.
 *
 * A moment at or before `now` is taken, with a notice for the sender: that approval was denied
 * automatically then, so no reminder will come, and the digest's waiting list lets the item go (it
 * learns the item has lapsed). It is not refused: senders keep fixed example moments that the clock
 * passes, and the same event sent again (a retry of one accepted while its moment was ahead) must
 * still be answered as a duplicate. The years 0000-0099 are read as written, so always past.
 */
export function statedApprovalExpiry(
  p: Problems,
  body: Obj,
  kind: NotificationKind,
  now: number,
  notice: (text: string) => void,
): number | undefined {
  const v = body.approvalExpiresDateTime;
  if (v === undefined || v === null) return undefined;
  if (kind !== 'accessRequest' && kind !== 'accessApproval') {
    p.add(
      'approvalExpiresDateTime is for access package events (accessRequest, accessApproval) only: ' +
        'PIM approvals lapse 24 hours after the request.',
    );
    return undefined;
  }
  const at = dateTime(v);
  if (at === 'impossible') {
    p.add(`approvalExpiresDateTime names a day or a time that does not exist: ${String(v).slice(0, 40)}.`);
    return undefined;
  }
  if (at === 'format') {
    p.add(
      'approvalExpiresDateTime must be an ISO 8601 date and time with its time zone, like 2026-03-04T12:00:00Z: ' +
        "when the approval is denied automatically (for a first stage, the request's createdDateTime plus " +
        "the stage's durationBeforeAutomaticDenial).",
    );
    return undefined;
  }
  if (at <= now) notice(pastNotice(String(v).slice(0, 40), now));
  return at;
}

/** The kinds whose request lapses 24 hours after it was made, whatever an event says: PIM role and
 * PIM for Groups requests and their approvals
 * (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow,
 * https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/groups-approval-workflow). */
const PIM_KINDS: readonly NotificationKind[] = ['roleRequest', 'roleApproval', 'groupRequest', 'groupApproval'];

/** How far ahead of the bot's clock a request's createdDateTime may be: the sender's clock and the
 * bot's are not quite the same. Further ahead, the moment is not one Graph wrote. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * `createdDateTime` of a PIM event: when the request was made (the request's createdDateTime in
 * Graph), from which its approval lapses 24 hours later. Without it the bot counts from when the
 * event arrived, which is later than the request by however long the sender took.
 *
 * A request whose 24 hours have passed by `now` is taken, with a notice for the sender: it no longer
 * waits, so it is not listed as waiting and no reminder will come. It is not refused, for the same
 * reasons as a past approvalExpiresDateTime (fixed example moments, retries stay duplicates). Other
 * kinds ignore the field, as they always have: an access package event states its lapse in
 * approvalExpiresDateTime instead.
 */
export function statedRequestCreated(
  p: Problems,
  body: Obj,
  kind: NotificationKind,
  now: number,
  notice: (text: string) => void,
): number | undefined {
  const v = body.createdDateTime;
  if (v === undefined || v === null || !PIM_KINDS.includes(kind)) return undefined;
  const at = dateTime(v);
  const written = String(v).slice(0, 40);
  if (at === 'impossible') {
    p.add(`createdDateTime names a day or a time that does not exist: ${written}.`);
    return undefined;
  }
  if (at === 'format') {
    p.add(
      'createdDateTime must be an ISO 8601 date and time with its time zone, like 2026-03-04T12:00:00Z: ' +
        "when the PIM request was made (the request's createdDateTime).",
    );
    return undefined;
  }
  if (at > now + CLOCK_SKEW_MS) {
    p.add(
      `createdDateTime ${written} is in the future (now ${new Date(now).toISOString()}): ` +
        "send the request's createdDateTime as Graph gives it.",
    );
    return undefined;
  }
  // A moment ahead within the skew is the sender's clock: the request was made before the event
  // arrived, so it counts from now, as the waiting list does; the card's moment (approvalMoment.ts)
  // and the decision buttons' then agree with it.
  const made = Math.min(at, now);
  const lapsed = made + PIM_APPROVAL_LIFETIME_MS;
  if (lapsed <= now)
    notice(
      `createdDateTime ${written} is 24 hours or more ago (now ${new Date(now).toISOString()}): a PIM ` +
        `approval lapses 24 hours after the request, so this one lapsed at ${new Date(lapsed).toISOString()}; ` +
        'it is not listed as waiting and no reminder will be sent.',
    );
  return made;
}

/** What the sender is told of a moment at or before `now`, quoted as `written`. */
function pastNotice(written: string, now: number): string {
  return (
    `approvalExpiresDateTime ${written} is not in the future (now ${new Date(now).toISOString()}): ` +
    'that approval was denied automatically then, so no reminder will be sent; ' +
    'send the moment of the stage waiting now.'
  );
}

/**
 * The notices of an event posted again (a duplicate): they tell of the event stored when its id was
 * first accepted, whose moment (`stored`, epoch ms) is the one reminded, not of the `body` sent
 * again, which changes nothing. A retry may state another moment than the first post: one already
 * past while the stored one is ahead gets no notice (its reminder still comes); one ahead while the
 * stored one has passed gets the stored one's. The moment is quoted as the body wrote it when the
 * body states that same instant, else as stored, saying so.
 */
export function storedExpiryNotices(stored: number | undefined, body: unknown, now: number): string[] {
  if (stored === undefined || stored > now) return [];
  const sent = isObj(body) ? body.approvalExpiresDateTime : undefined;
  const written =
    dateTime(sent) === stored
      ? String(sent).slice(0, 40)
      : `${new Date(stored).toISOString()} (as stored when this eventId was first accepted; a duplicate changes nothing)`;
  return [pastNotice(written, now)];
}
