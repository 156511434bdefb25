// One channel's own settings, on its record (`alerts:channel:<channelId>`, subscriptions.ts): read,
// changed with their audit lines (subscriptionChanges.ts, which keeps the indexes a superset), and
// suspended when Teams refuses to post there (channelSuspension.ts). What spans channels (who hears
// a topic, a team's channels, forgetting a channel or a team) is AlertSubscriptions' (subscriptions.ts).

import { Records } from '../state/port';
import { AlertTopic, CATEGORY_IDS, CategoryId } from './categories';
import { ChannelSuspension, SuspensionLine, standingOf, suspendRecord } from './channelSuspension';
import { ChangeActor, SubscriptionAudit, SubscriptionChange, changeSubscriptions } from './subscriptionChanges';
import type { ChannelRecord } from './subscriptionRecords';
import { channelKey } from './subscriptionRecords';
import type { ChannelRef, ChannelSubscriptions } from './subscriptions';

/** A channel's settings, which AlertSubscriptions (subscriptions.ts) extends across channels. */
export class ChannelSettings {
  constructor(
    protected readonly records: Records,
    protected readonly now: () => number = Date.now,
    protected readonly onSuspension: (line: SuspensionLine) => void = () => undefined,
    /** A list write after a channel's record failed; the change stands (subscriptionChanges.ts). */
    protected readonly onLaterWriteFailed: (error: unknown, ref: ChannelRef) => void = () => undefined,
  ) {}

  /** A channel's settings (no categories and no digest when it never subscribed). */
  async get(channelId: string): Promise<ChannelSubscriptions | null> {
    return (await this.revised(channelId)).settings;
  }

  /** A channel's settings and the revision of the record they were read from (settingsRevision.ts;
   * 0 when there is none, or an older record has none). */
  async revised(channelId: string): Promise<{ settings: ChannelSubscriptions | null; revision: number }> {
    const entry = await this.records.get<ChannelRecord>(channelKey(channelId));
    if (!entry) return { settings: null, revision: 0 };
    const { teamId, categories, digest, suspended, revision } = entry.value;
    const settings = { teamId, channelId, categories, digest, ...(suspended ? { suspended } : {}) };
    return { settings, revision: revision ?? 0 };
  }

  /** Whether alerts may be posted in the channel, and the count to hand back with a refusal. */
  async standing(channelId: string) {
    return standingOf((await this.records.get<ChannelRecord>(channelKey(channelId)))?.value);
  }

  /** Teams refused a post in the channel, looked up at `seen` confirmations (channelSuspension.ts):
   * suspended, choices kept; not when unsubscribed, suspended already, or confirmed since. */
  async suspend(channelId: string, suspension: ChannelSuspension, seen: number): Promise<void> {
    const teamId = await suspendRecord(this.records, channelKey(channelId), suspension, seen, this.now());
    const { status, reason } = suspension;
    if (teamId)
      this.onSuspension({
        event: 'alerts.subscription.suspended',
        teamId,
        channelId,
        ...(status !== undefined ? { status } : {}),
        reason,
      });
  }

  async setDigest(ref: ChannelRef, on: boolean, actor: ChangeActor): Promise<SubscriptionAudit> {
    return (await this.apply(ref, { digest: on }, actor)).audits[0]!;
  }

  /** A typed `alerts on|off <category>`: its audit line (`changed` false when it already was so) and
   * whether it resumed the channel, which its answer says: any person's change ends a suspension
   * (subscriptionChanges.ts), told by the compare-and-swap that wrote it, not by a read before. */
  async setCategory(
    ref: ChannelRef,
    category: CategoryId,
    on: boolean,
    actor: ChangeActor,
  ): Promise<{ readonly audit: SubscriptionAudit; readonly resumed: boolean }> {
    const { audits, resumed } = await this.apply(ref, { [category]: on }, actor);
    return { audit: audits[0]!, resumed };
  }

  /** Sets every setting at once: the given categories on, every other one off (the sandbox's
   * seed). One audit line per setting that changed (settings that stayed as they were produce none). */
  async replaceAll(
    ref: ChannelRef,
    categories: readonly CategoryId[],
    digest: boolean,
    actor: ChangeActor,
  ): Promise<SubscriptionAudit[]> {
    const wanted: Partial<Record<AlertTopic, boolean>> = { digest };
    for (const id of CATEGORY_IDS) wanted[id] = categories.includes(id);
    return (await this.apply(ref, wanted, actor)).audits.filter((a) => a.changed);
  }

  /** A settings card's Save: the settings it changes (settingsChoices.ts changedChoices), as chosen;
   * every other one as stored. One audit line per setting that changed, the settings as the Save
   * left them, and whether it resumed the channel. */
  async applyChoices(
    ref: ChannelRef,
    choices: Partial<Record<AlertTopic, boolean>>,
    actor: ChangeActor,
  ): Promise<SubscriptionChange> {
    const change = await this.apply(ref, choices, actor);
    return { ...change, audits: change.audits.filter((a) => a.changed) };
  }

  protected apply(
    ref: ChannelRef,
    wanted: Partial<Record<AlertTopic, boolean>>,
    actor: ChangeActor,
  ): Promise<SubscriptionChange> {
    return changeSubscriptions(
      {
        records: this.records,
        now: this.now,
        onSuspension: this.onSuspension,
        onLaterWriteFailed: this.onLaterWriteFailed,
      },
      ref,
      wanted,
      actor,
    );
  }
}
