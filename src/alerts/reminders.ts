// Reminders for approvals about to lapse: a PIM or access package approval still pending 4 hours
// before it expires is announced once more in the channels subscribed to "approvals waiting".
// PIM approvals live 24 hours from the request, and that window is not configurable
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow);
// an access package approval expires when its policy says (the approval stage's
// durationBeforeAutomaticDenial), so the caller passes that moment, and without it no reminder is due.
//
// "Once" across restarts and instances: post the reminder through the fan-out under the stable
// event id reminderEventId(item) (which repeats nothing if run twice), then mark it reminded. A
// crash in between only means the next pass fans the same event id out again, harmlessly.

import type { AdaptiveCardAttachment, Fact } from '../cards/render';
import { approvalEnded, pimApprovalEnded } from '../cards/endedWording';
import { stamp } from '../cards/wording';
import type { WorkKind } from '../domain/myWork';
import { FANOUT_TTL_MS } from '../notifications/eventRetention';
import { Records } from '../state/port';
import { AlertButton, renderAlertCard, summaryLine } from './cards';
import { mapAtMost } from './readRounds';

export const REMINDER_LEAD_MS = 4 * 3_600_000;
export const PIM_APPROVAL_LIFETIME_MS = 24 * 3_600_000;

/** Each kind of request's name in reminder ledger keys and event ids (the names they were first
 * stored under: renaming one would remind every approval of that kind pending at the upgrade again). */
export const APPROVAL_KINDS = {
  role: 'roleRequest',
  group: 'groupRequest',
  access: 'accessPackageRequest',
} as const satisfies Readonly<Record<WorkKind, string>>;
export type ApprovalKind = (typeof APPROVAL_KINDS)[WorkKind];

export interface PendingApproval {
  readonly kind: ApprovalKind;
  /** The request id (an approval has the same id as its request). */
  readonly requestId: string;
  /** When the request was made (epoch ms, Graph createdDateTime). */
  readonly createdAt: number;
  /** When the approval lapses, when known (access packages: from the policy). */
  readonly expiresAt?: number | null;
  /** One line: who asked for what ("Adele Vance requested Global Reader"). */
  readonly title: string;
  readonly facts?: readonly Fact[];
  /** Buttons the reminder carries (the approval's own approve/deny buttons), if any. */
  readonly actions?: readonly AlertButton[];
}

export interface DueReminder {
  readonly approval: PendingApproval;
  readonly expiresAt: number;
}

/** When the approval lapses: PIM requests 24 h after they were made; access packages as given. */
export function approvalExpiry(approval: PendingApproval): number | null {
  if (approval.expiresAt !== undefined && approval.expiresAt !== null) return approval.expiresAt;
  return approval.kind === 'accessPackageRequest' ? null : approval.createdAt + PIM_APPROVAL_LIFETIME_MS;
}

export function reminderKey(approval: Pick<PendingApproval, 'kind' | 'requestId'>): string {
  return `${approval.kind}:${approval.requestId.toLowerCase()}`;
}

/** The fan-out event id of the reminder (within the intake's event-id alphabet). */
export function reminderEventId(approval: Pick<PendingApproval, 'kind' | 'requestId'>): string {
  return `reminder:${reminderKey(approval)}`;
}

/** The approvals to remind now: pending, within the last 4 hours before expiry, not yet expired,
 * not reminded before; soonest to expire first. Pure. */
export function dueReminders(
  pending: readonly PendingApproval[],
  now: number,
  reminded: ReadonlySet<string>,
): DueReminder[] {
  const due: DueReminder[] = [];
  const seen = new Set<string>();
  for (const approval of pending) {
    const key = reminderKey(approval);
    const expiresAt = approvalExpiry(approval);
    if (expiresAt === null || seen.has(key) || reminded.has(key)) continue;
    if (now >= expiresAt - REMINDER_LEAD_MS && now < expiresAt) {
      seen.add(key);
      due.push({ approval, expiresAt });
    }
  }
  return due.sort((a, b) => a.expiresAt - b.expiresAt);
}

const KIND_WORDS: Record<ApprovalKind, string> = {
  roleRequest: 'PIM role request',
  groupRequest: 'PIM group request',
  accessPackageRequest: 'access package request',
};

export function reminderCard(due: DueReminder, now: number): { attachment: AdaptiveCardAttachment; summary: string } {
  const { approval, expiresAt } = due;
  const facts = [...(approval.facts ?? []), { title: 'requestId', value: approval.requestId }];
  // Posted at or after its moment (a channel's post comes later than the pass, after pacing,
  // retries or an outage): the approval is over, so the card says so in the ended card's words and
  // offers no decision (endedWording.ts). A channel's reminder never offered one either, so its
  // words are those of a card without buttons: nothing is "no longer offered here".
  if (now >= expiresAt) {
    const ended =
      approval.kind === 'accessPackageRequest' ? approvalEnded(expiresAt, 'none') : pimApprovalEnded(expiresAt, 'none');
    const attachment = renderAlertCard('alertReminder', {
      title: ended.title,
      expires: ended.what,
      text: approval.title,
      facts,
      footer: ended.next,
      actions: [],
    });
    return { attachment, summary: summaryLine(`${ended.title}: ${approval.title}`) };
  }
  // The moment, not the time left: the card is rendered once, by the pass, and each channel's post
  // comes later (pacing, retries, an outage), when a time left counted now would overstate it. Its
  // minute, never later than the moment itself (stamp truncates).
  const title = `Approval expires at ${stamp(new Date(expiresAt))}`;
  const attachment = renderAlertCard('alertReminder', {
    title,
    expires: `This ${KIND_WORDS[approval.kind]} lapses then unless someone decides: ${viewersTime(expiresAt)}.`,
    text: approval.title,
    facts,
    footer:
      approval.kind === 'accessPackageRequest'
        ? 'When it lapses the request is denied automatically; the requester has to ask again.'
        : 'PIM approvals lapse 24 hours after the request; the requester then has to ask again.',
    actions: [...(approval.actions ?? [])],
  });
  return { attachment, summary: summaryLine(`${title}: ${approval.title}`) };
}

/** The moment's minute in each viewer's own time zone and locale: Teams renders DATE() and TIME()
 * in a TextBlock (cards/alertReminder.json) on the viewer's device
 * (https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format#date-and-time-formatting-and-localization),
 * for a channel read across time zones. They take strict RFC 3339 to the second, no fraction (a
 * string they do not take is shown raw), and TIME() shows the minute: given the minute, as the
 * title's stamp, it is never later than the moment. */
function viewersTime(at: number): string {
  const minute = `${new Date(Math.floor(at / 60_000) * 60_000).toISOString().slice(0, 19)}Z`;
  return `{{DATE(${minute}, SHORT)}} at {{TIME(${minute})}} your time`;
}

/** The reminder as the pass stores it: its card now, and the card each channel is posted from the
 * approval's moment on (alertCardAt), so a post after the moment never says "expires at". */
export function reminderCards(
  due: DueReminder,
  now: number,
): {
  card: { attachment: AdaptiveCardAttachment; summary: string };
  ended: { at: number; card: { attachment: AdaptiveCardAttachment; summary: string } };
} {
  return { card: reminderCard(due, now), ended: { at: due.expiresAt, card: reminderCard(due, due.expiresAt) } };
}

/** As long as the reminder's own alert record and fan-out (its event id is the request's): a mark
 * gone before them let a later stage's lapse "remind" again, which kept the first card and its
 * finished fan-out, posted nothing, and was counted in the digest all the same. */
const REMINDED_TTL_MS = FANOUT_TTL_MS;
const remindedKey = (key: string) => `alerts:reminded:${key}`;

/** Which approvals were reminded already: one record per approval, created once. */
export class ReminderLedger {
  constructor(
    private readonly records: Records,
    private readonly now: () => number = Date.now,
  ) {}

  /** Of `keys` (the approvals on the waiting list, up to WAITING_CAP), those reminded already: read
   * at most READS_AT_ONCE at a time (readRounds.ts). A read that fails fails the reminder pass,
   * which runs again next period. */
  async reminded(keys: readonly string[]): Promise<Set<string>> {
    const found = await mapAtMost(keys, async (k) => ((await this.records.get(remindedKey(k))) ? k : null));
    return new Set(found.filter((k): k is string => k !== null));
  }

  /** Marks it reminded: true for the first caller only. */
  async markReminded(key: string): Promise<boolean> {
    return (await this.records.create(remindedKey(key), { at: this.now() }, { ttlMs: REMINDED_TTL_MS })) !== null;
  }
}
