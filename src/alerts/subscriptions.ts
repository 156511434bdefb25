// Which channels hear which categories, on the state port. Three kinds of record:
// - `alerts:channel:<channelId>`: the truth for one channel (its team, categories, digest opt-in);
// - `alerts:category:<categoryId>` and `alerts:digest`: indexes (a fan-out reads one record);
// - `alerts:team:<teamId>` (the team's known channels and the ones with subscriptions) and
//   `alerts:channelTeam:<channelId>` (which team a channel belongs to), so any channel of a team the
//   bot is in is reachable, and removing the bot from a team forgets all of its channels.
// There is no transaction across records, so the order of writes keeps one invariant: an index
// holds at least every channel whose record subscribes it (a superset). Subscribing writes the
// index first, unsubscribing writes the channel record first (subscriptionChanges.ts, the settings
// changes and their audit lines, made through channelSettings.ts), and readers check each indexed
// channel against its record. A crash between the two writes leaves an extra index entry that
// readers ignore and the next change of that channel removes; it never loses a subscriber (a
// removal reads the record after the index and writes the index at the version read, so an `on`
// elsewhere meanwhile keeps its entry, subscriptionRecords.ts). An
// entry whose channel record is gone (a deleted channel's, expired) is pruned by the read that
// finds it, in a way that cannot drop a subscribe under way (stalePruning.ts), unless that
// subscribe dies before its last write: then the periodic pass puts the entry back
// (subscriptionHealing.ts).

import { AlertTopic, CategoryId } from './categories';
import { channelDeleted, noteChannelRestored } from './channelDeletion';
import { ChannelSettings } from './channelSettings';
import { ChannelSuspension, confirmRecord, teamOutUntilBack } from './channelSuspension';
import { ChangeActor, SubscriptionAudit } from './subscriptionChanges';
import { anyInRounds, mapAtMost } from './readRounds';
import { pruneIndex, pruneTeamSubscribed } from './stalePruning';
import { TeamSuspensionDeps, resumeTeamChannels, suspendTeamChannels } from './teamSuspensions';
import type { ChannelRecord, IndexRecord, TeamRecord } from './subscriptionRecords';
import {
  allOff,
  channelKey,
  channelTeamKey,
  dropTeamChannel,
  indexKey,
  teamKey,
  writeTeamChannels,
} from './subscriptionRecords';

export type { SubscriptionAudit } from './subscriptionChanges';

export interface ChannelRef {
  readonly teamId: string;
  readonly channelId: string;
}

export interface TeamChannel {
  readonly id: string;
  readonly name: string;
}

export interface ChannelSubscriptions extends ChannelRef {
  readonly categories: readonly CategoryId[];
  readonly digest: boolean;
  /** Teams refused to post here: no fan-out includes the channel until it resumes. */
  readonly suspended?: ChannelSuspension;
}

/** Who hears what across channels: a channel's own settings are ChannelSettings' (channelSettings.ts);
 * here the fan-out's reads, a team's channels, a team out of use, and forgetting a channel or team. */
export class AlertSubscriptions extends ChannelSettings {
  /** The whole team out of use for now (archived, or deleted but restorable): its subscribed
   * channels suspended, choices kept (teamSuspensions.ts). `at`: when Teams sent the event. */
  suspendTeam(teamId: string, event: 'archived' | 'deleted', at: number = this.now()): Promise<void> {
    return suspendTeamChannels(this.teamDeps(), teamId, event, at);
  }

  /** Teams told the bot the team is back (unarchived, restored): the channels suspendTeam
   * suspended resume (teamSuspensions.ts). `at`: when Teams sent the event. */
  resumeTeam(teamId: string, at: number = this.now()): Promise<void> {
    return resumeTeamChannels(this.teamDeps(), teamId, at);
  }

  private teamDeps(): TeamSuspensionDeps {
    return {
      records: this.records,
      now: this.now,
      onSuspension: this.onSuspension,
      suspend: (channelId, suspension, seen) => this.suspend(channelId, suspension, seen),
      confirmations: async (channelId) => (await this.standing(channelId)).confirmations,
    };
  }

  /** The channels subscribed to a category (or opted in to the digest), checked against their records. */
  async channelsFor(topic: AlertTopic): Promise<ChannelRef[]> {
    return this.members(topic);
  }

  /** False when no channel's record subscribes (none ever did, every one left, or the record of a
   * channel deleted for good expired): an alert nobody hears is skipped. A suspended channel counts.
   * Entries read whose record is gone are pruned (stalePruning.ts). */
  async anySubscriber(topic: AlertTopic): Promise<boolean> {
    const index = await this.records.get<IndexRecord>(indexKey(topic));
    const absent = new Set<string>();
    // Not one by one: in rounds that grow (readRounds.ts), the usual first-entry answer in one read.
    const any = await anyInRounds(index?.value.channels ?? [], async (ref) => {
      const channel = await this.get(ref.channelId);
      if (!channel) absent.add(ref.channelId);
      return channel !== null && (topic === 'digest' ? channel.digest : channel.categories.includes(topic));
    });
    await pruneIndex(this.records, topic, index, absent);
    return any;
  }

  /** The channels that opted in to the daily digest. */
  async digestChannels(): Promise<ChannelRef[]> {
    return this.members('digest');
  }

  /** Records a team's channels (the bot added, or an event names a new channel), so each is
   * reachable. `shown`: where Teams showed the bot (default every listed channel; a kept list, Teams
   * not answering, only the turn's channel): only those count as confirmed, and may resume. */
  async setTeamChannels(
    teamId: string,
    channels: readonly TeamChannel[],
    shown: readonly string[] = channels.map((c) => c.id),
  ): Promise<void> {
    const unique = [...new Map(channels.map((c) => [c.id, { id: c.id, name: c.name }])).values()];
    for (const c of unique) await this.records.put(channelTeamKey(c.id), { teamId }, 'none');
    const team = await writeTeamChannels(this.records, teamId, unique);
    // The bot is in the team and the channel exists: counted (a refusal of a post sent before
    // suspends nothing), and a suspension there ends (the bot added back, the channel restored).
    const listed = new Set(shown);
    // Not a team archived or deleted: only its return (resumeTeam) or a save ends that.
    const kept = await teamOutUntilBack(this.records, teamId);
    for (const channelId of (team?.subscribed ?? []).filter((id) => listed.has(id))) {
      const resumed = await confirmRecord(this.records, channelKey(channelId), this.now(), kept);
      if (resumed) this.onSuspension({ event: 'alerts.subscription.resumed', teamId, channelId, via: 'teamChannels' });
    }
    await this.pruneTeam(teamId, new Set(unique.map((c) => c.id)));
  }

  /** Subscribed channels not in the team's channel list whose record is gone (a deleted channel's,
   * expired) leave the team's list: the list read first, then their records (stalePruning.ts). */
  private async pruneTeam(teamId: string, listed: ReadonlySet<string>): Promise<void> {
    const team = await this.records.get<TeamRecord>(teamKey(teamId));
    const absent = new Set<string>();
    for (const channelId of (team?.value.subscribed ?? []).filter((id) => !listed.has(id)))
      if (!(await this.records.get<ChannelRecord>(channelKey(channelId)))) absent.add(channelId);
    await pruneTeamSubscribed(this.records, teamId, team, absent);
  }

  /** The channels last recorded for a team, or null when the bot knows no such team. */
  async teamChannels(teamId: string): Promise<readonly TeamChannel[] | null> {
    return (await this.records.get<TeamRecord>(teamKey(teamId)))?.value.channels ?? null;
  }

  /** The team a channel belongs to, when known (any channel of a team the bot is in). */
  async teamOf(channelId: string): Promise<string | null> {
    return (await this.records.get<{ teamId: string }>(channelTeamKey(channelId)))?.value.teamId ?? null;
  }

  /** Teams deleted a channel (suspended until listed again) or restored one; false for older news. */
  channelEvent(channelId: string, event: 'deleted' | 'restored', at: number = this.now()): Promise<boolean> {
    if (event === 'restored') return noteChannelRestored(this.records, channelId, at);
    return channelDeleted({ records: this.records, suspend: (id, s, n) => this.suspend(id, s, n) }, channelId, at);
  }

  /** Forgets a channel: its subscriptions (each audited as off), index entries, team place.
   * `audited` is told the ended subscriptions as soon as they are written, before the rest: a
   * failure after it leaves nothing to change there, so nothing would tell them again. */
  async forgetChannel(
    channelId: string,
    actor: ChangeActor,
    audited: (audits: SubscriptionAudit[]) => void = () => undefined,
  ): Promise<SubscriptionAudit[]> {
    const current = await this.get(channelId);
    const teamId = current?.teamId ?? (await this.teamOf(channelId));
    const audits: SubscriptionAudit[] = [];
    if (current) {
      audits.push(...(await this.apply(current, allOff(), actor)).audits.filter((a) => a.changed));
      audited(audits);
      await this.records.delete(channelKey(channelId));
    }
    await this.records.delete(channelTeamKey(channelId));
    if (teamId) await dropTeamChannel(this.records, teamId, channelId);
    return audits;
  }

  /** Forgets a team the bot was removed from: every channel's subscriptions and the team itself.
   * `audited` is told each channel's ended subscriptions as they are written (forgetChannel). */
  async forgetTeam(
    teamId: string,
    actor: ChangeActor,
    audited: (audits: SubscriptionAudit[]) => void = () => undefined,
  ): Promise<SubscriptionAudit[]> {
    const team = (await this.records.get<TeamRecord>(teamKey(teamId)))?.value;
    const channelIds = new Set([...(team?.subscribed ?? []), ...(team?.channels ?? []).map((c) => c.id)]);
    const audits: SubscriptionAudit[] = [];
    for (const id of channelIds) audits.push(...(await this.forgetChannel(id, actor, audited)));
    await this.records.delete(teamKey(teamId));
    return audits;
  }

  private async members(topic: AlertTopic): Promise<ChannelRef[]> {
    const index = await this.records.get<IndexRecord>(indexKey(topic));
    const absent = new Set<string>();
    // At most READS_AT_ONCE reads at a time (readRounds.ts): an index may name hundreds of channels.
    // A read that fails fails the whole and prunes nothing: a fan-out row is not completed and runs
    // again when its lease ends, a periodic pass tries again at its next tick.
    const checked = await mapAtMost(index?.value.channels ?? [], async (ref) => {
      const channel = await this.get(ref.channelId);
      if (!channel) absent.add(ref.channelId);
      // A suspended channel keeps its choices but hears nothing until it resumes.
      const on = !channel?.suspended && (topic === 'digest' ? channel?.digest : channel?.categories.includes(topic));
      return on ? { teamId: channel!.teamId, channelId: ref.channelId } : null;
    });
    // Entries whose record is gone (a deleted channel's, expired) leave the index.
    await pruneIndex(this.records, topic, index, absent);
    return checked.filter((r): r is ChannelRef => r !== null);
  }
}
