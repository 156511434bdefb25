// Who sent an activity, as the sign-in checks need it (the Entra user and their tenant), and when a
// typed command was sent, as the typed-twice check of approvals needs it.

import { Activity } from 'botbuilder';
import { Subject } from '../auth/tokenSubject';
import type { Clock } from '../domain/clock';
import { graphName } from '../domain/shownNames';

/** The activity's tenant: conversation.tenantId, else channelData.tenant.id (Teams sends both). */
export function tenantOf(activity: Partial<Activity>): string | undefined {
  const fromConversation = activity.conversation?.tenantId;
  if (typeof fromConversation === 'string' && fromConversation !== '') return fromConversation;
  const fromChannel = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  return typeof fromChannel === 'string' && fromChannel !== '' ? fromChannel : undefined;
}

/** The sender as a sign-in subject; null when the activity names no Entra user. */
export function subjectOf(activity: Partial<Activity>, defaultTenantId: string): Subject | null {
  const aad = activity.from?.aadObjectId;
  if (typeof aad !== 'string' || aad === '') return null;
  return { aadObjectId: aad, tenantId: tenantOf(activity) ?? defaultTenantId };
}

/**
 * How far before its arrival the channel's stamp of a typed command is taken (typedAtOf): longer
 * than a duplicate mark lives (10 minutes, turnDedup.ts), so a redelivery after its mark expired
 * still counts from when it was sent.
 */
export const TYPED_STAMP_WINDOW_MS = 15 * 60_000;

/**
 * When a typed command was sent (Target.typedAt), for the check that it came before its sender
 * approved a stage (laterStage.ts approvedSinceTyped): the earlier of its arrival on `clock` and
 * the activity's `timestamp`, the moment the channel recorded it ("the important time is when the
 * channel (the authoritative store) records the activity",
 * https://learn.microsoft.com/en-us/dotnet/api/microsoft.agents.core.models.activity.timestamp?view=m365-agents-sdk;
 * https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#activity-object).
 * A redelivery is the same activity arriving again: one whose duplicate mark was lost (the store
 * failed, or the mark expired) is then not taken for a command sent after the approval its first
 * delivery made. The stamp is taken only within TYPED_STAMP_WINDOW_MS before the arrival: a stamp
 * after the arrival (a clock ahead) is not earlier, so the arrival stands; one further back (a clock
 * set wrong) is not taken either, as it would refuse the sender's next stage for as long. A stamp
 * missing or not a date: the arrival.
 */
export function typedAtOf(activity: Partial<Activity>, clock: Pick<Clock, 'now'>): number {
  const arrivedAt = clock.now();
  const at = stampOf(activity);
  return at !== undefined && at < arrivedAt && arrivedAt - at <= TYPED_STAMP_WINDOW_MS ? at : arrivedAt;
}

/** When the channel recorded the activity (its `timestamp`, an ISO string once parsed from JSON),
 * or undefined when it says nothing readable. */
export function stampOf(activity: Partial<Activity>): number | undefined {
  const stamp = activity.timestamp as Date | string | undefined;
  const ms = stamp === undefined || stamp === null ? NaN : new Date(stamp).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

/** The sender's name as Teams gave it (activity.from.name, their directory displayName: free text),
 * as a card shows it to everyone who reads it ("Approved by …"): without the characters that make a
 * card read otherwise than it is (domain/shownNames.ts); undefined when nothing is left. */
export function shownUserName(name: unknown): string | undefined {
  return graphName(name, 200) ?? undefined;
}
