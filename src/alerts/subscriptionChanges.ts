// A change of a channel's settings (a category or the digest on or off, a whole settings card, or
// everything off when the channel is forgotten), in the order that keeps the indexes a superset of
// the subscribed channels (subscriptions.ts), with one audit line per setting asked for.

import { Records } from '../state/port';
import { updateRecord } from '../state/update';
import { AlertTopic, CATEGORY_IDS, CategoryId } from './categories';
import type { SuspensionLine } from './channelSuspension';
import { revisionAfter } from './settingsRevision';
import {
  addTeamSubscribed,
  addToIndex,
  channelKey,
  markSubscribed,
  removeFromIndex,
  sameList,
} from './subscriptionRecords';
import type { ChannelRecord } from './subscriptionRecords';
import type { ChannelRef } from './subscriptions';

/** Who asked for a change, for the audit line. `userId` is the Entra object id (null when the bot
 * itself forgets a channel because Teams told it the channel or the team is gone). */
export interface ChangeActor {
  readonly userId: string | null;
  readonly correlationId: string;
}

/** One audit line per changed setting; `changed` is false when the setting already was so. */
export interface SubscriptionAudit {
  readonly event: 'alerts.subscription';
  readonly teamId: string;
  readonly channelId: string;
  readonly category: AlertTopic;
  readonly on: boolean;
  readonly userId: string | null;
  readonly correlationId: string;
  readonly changed: boolean;
}

export interface ChangeDeps {
  readonly records: Records;
  readonly now: () => number;
  /** Told when a person's change resumes a suspended channel. */
  readonly onSuspension: (line: SuspensionLine) => void;
  /** Told when a list write after the channel's record failed: the change stands (see below). */
  readonly onLaterWriteFailed?: (error: unknown, ref: ChannelRef) => void;
}

/** What a change did: an audit line per setting asked for, and the channel's settings as its write
 * left them (with whatever other writers changed before it). */
export interface SubscriptionChange {
  readonly audits: SubscriptionAudit[];
  readonly settings: { readonly categories: readonly CategoryId[]; readonly digest: boolean };
  /** A person's change that ended the channel's suspension (read in the compare-and-swap). */
  readonly resumed: boolean;
}

/** Applies `wanted` to the channel's record, leaving every setting it does not name as stored:
 * its audit lines, `changed` false for a setting that already was so. */
export async function changeSubscriptions(
  deps: ChangeDeps,
  ref: ChannelRef,
  wanted: Partial<Record<AlertTopic, boolean>>,
  actor: ChangeActor,
): Promise<SubscriptionChange> {
  const topics = Object.keys(wanted) as Array<AlertTopic>;
  const turningOn = topics.filter((t) => wanted[t]);
  const turningOff = topics.filter((t) => !wanted[t]);
  // Superset invariant: indexes gain a channel before its record says so.
  if (turningOn.length > 0) await markSubscribed(deps.records, ref);
  for (const t of turningOn) await addToIndex(deps.records, t, ref);
  let before: ChannelRecord | null = null;
  // Read and changed inside the compare-and-swap: a change written meanwhile is kept, not undone.
  const after = await updateRecord<ChannelRecord>(
    deps.records,
    channelKey(ref.channelId),
    (cur) => {
      before = cur;
      const categories = new Set(cur?.categories ?? []);
      let digest = cur?.digest ?? false;
      for (const t of topics) {
        if (t === 'digest') digest = wanted[t] === true;
        else if (wanted[t]) categories.add(t);
        else categories.delete(t);
      }
      const ordered = CATEGORY_IDS.filter((id) => categories.has(id));
      // A person's change is a turn from the channel, so the bot is there: it is counted, like a
      // listing (channelSuspension.ts), and resumes a suspended subscription: someone chose again.
      // A change the bot makes itself (no person: the sandbox's seed) proves nothing, resumes nothing.
      const same = cur?.teamId === ref.teamId && cur.digest === digest && sameList(cur.categories, ordered);
      if (same && !actor.userId) return 'keep';
      const confirmations = (cur?.confirmations ?? 0) + (actor.userId ? 1 : 0);
      const kept = !actor.userId && cur?.suspended ? { suspended: cur.suspended } : {};
      const { teamId, channelId } = ref;
      const now = deps.now();
      const revision = revisionAfter(cur, now);
      return {
        next: { teamId, channelId, categories: ordered, digest, confirmations, ...kept, updatedAt: now, revision },
      };
    },
    // A person's change resumes the channel, for good; the bot's own keeps a deleted channel's expiry.
    actor.userId ? 'none' : 'keep',
  );
  // The lists written again now that the record is: a prune that read them before the record was
  // written loses its swap, or its removal is undone here (stalePruning.ts): always a write, since
  // the new version is what such a prune's swap fails against.
  // The change took effect with the record's write: an index holding an extra entry is read against
  // the records, and one a prune then took away is put back by the periodic pass
  // (subscriptionHealing.ts). So a failure from here on is reported, and the change still audited
  // and told as made, not thrown as if nothing had changed.
  try {
    if (turningOn.length > 0) await addTeamSubscribed(deps.records, ref, { create: true, always: true });
    for (const t of turningOn) await addToIndex(deps.records, t, ref, { always: true });
    for (const t of turningOff) await removeFromIndex(deps.records, t, ref.channelId);
  } catch (e) {
    deps.onLaterWriteFailed?.(e, ref);
  }
  const was = before as ChannelRecord | null;
  const { teamId, channelId } = ref;
  // The same test as the write's: a change with no person's id (null or empty) keeps the suspension.
  const resumed = was?.suspended !== undefined && Boolean(actor.userId);
  if (resumed) deps.onSuspension({ event: 'alerts.subscription.resumed', teamId, channelId, via: 'settings' });
  const audits = topics.map((t): SubscriptionAudit => {
    const on = wanted[t] === true;
    const had = t === 'digest' ? (was?.digest ?? false) : (was?.categories.includes(t) ?? false);
    return {
      event: 'alerts.subscription',
      teamId: ref.teamId,
      channelId: ref.channelId,
      category: t,
      on,
      userId: actor.userId,
      correlationId: actor.correlationId,
      changed: had !== on,
    };
  });
  return { audits, settings: { categories: after?.categories ?? [], digest: after?.digest ?? false }, resumed };
}
