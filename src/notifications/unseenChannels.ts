// How the alert worker reaches a channel: any channel of a team the bot is in (TeamReach), or one
// a conversation reference was stored for. A channel no known team was known to have (created
// since the team's channels were last listed) is looked up in the known teams' channel lists read
// from Teams, at most once per LOOKUP_EVERY_MS per channel, so a channel that is truly gone does
// not cost a listing of every team on every delivery.

import type { Logger } from 'pino';
import { AlertSubscriptions, TeamChannel } from '../alerts/subscriptions';
import { MAX_TEAMS, TeamReach } from '../alerts/teamReach';
import { StateUnavailableError } from '../state/port';
import { ConversationReferences, StoredReference } from '../state/references';
import { classifySendError } from './delivery';
import { foreignTenantOf } from './foreignTenant';

/** An unseen channel is looked up in the known teams at most this often. */
const LOOKUP_EVERY_MS = 10 * 60_000;
/** Channels whose last lookup is remembered (the oldest forgotten first). */
const LOOKUPS_KEPT = 10_000;

export interface ChannelLookupOptions {
  readonly subscriptions: AlertSubscriptions;
  readonly reach: TeamReach;
  readonly references?: ConversationReferences;
  /** Reads a team's channel list from Teams; without it an unseen channel is not looked up. */
  readonly listTeamChannels?: (teamId: string, reference: StoredReference) => Promise<TeamChannel[]>;
  /** The organization the bot serves: another organization's team is never asked. */
  readonly servedTenant: string | null;
  readonly logger: Logger;
  readonly now: () => number;
}

/** A reference that starts a new thread in the channel, or null when no known team has it. A
 * lookup under way is shared by every delivery to the same channel that asks meanwhile: one that
 * found the remembered "looked up" mark of a listing still running would take the channel for
 * missing and settle its event undeliverable, while the listing then finds it. The mark is
 * written only once every list was read without the channel: a lookup cut short (a store failure,
 * Teams failing to give a list) leaves none, so the next delivery looks again. */
export function channelLookup(opts: ChannelLookupOptions): (channelId: string) => Promise<StoredReference | null> {
  const { reach, now } = opts;
  const lookedUp = new Map<string, number>();
  const running = new Map<string, Promise<StoredReference | null>>();
  const listed = async (channelId: string, list: NonNullable<ChannelLookupOptions['listTeamChannels']>) => {
    let unread = 0;
    for (const teamId of (await reach.knownTeams()).slice(0, MAX_TEAMS)) {
      const team = await reach.teamReference(teamId);
      // Another organization's team is never asked (its listing would also resume its channels).
      if (!team || foreignTenantOf(team, opts.servedTenant) !== null) continue;
      try {
        const channels = await list(teamId, team);
        await opts.subscriptions.setTeamChannels(teamId, channels);
        if (channels.some((c) => c.id === channelId)) return reach.channelReference(channelId);
      } catch (e) {
        // The store, not Teams: the pass fails as the store's (which never sets an event aside).
        if (e instanceof StateUnavailableError) throw e;
        opts.logger.warn({ err: e, event: 'alerts.channels.failed', teamId }, 'could not read a team channel list');
        // Throttled, failed or unanswered (Teams marks these for retry), or refused for a fault of
        // the bot's own deployment (Entra refusing its credentials, Teams' BotNotRegistered): no
        // list was read, and it may hold the channel.
        const failure = classifySendError(e, now());
        if (failure.kind === 'retry' || failure.deploymentFault) unread++;
      }
    }
    // Not found, but not every list was read: no answer yet. The next try lists again.
    if (unread > 0) throw new ChannelListsUnread(unread);
    lookedUp.set(channelId, now());
    if (lookedUp.size > LOOKUPS_KEPT) lookedUp.delete(lookedUp.keys().next().value as string);
    return null;
  };
  return async (channelId) => {
    const known = (await reach.channelReference(channelId)) ?? (await opts.references?.forChannel(channelId)) ?? null;
    if (known || !opts.listTeamChannels) return known;
    const last = lookedUp.get(channelId);
    if (last !== undefined && now() - last < LOOKUP_EVERY_MS) return null;
    const under = running.get(channelId);
    if (under) return under;
    const lookup = listed(channelId, opts.listTeamChannels).finally(() => running.delete(channelId));
    running.set(channelId, lookup);
    return lookup;
  };
}

/** A channel no list read had, while Teams failed to give some (a retry may find it there): the
 * delivery's pass fails, logged, and its row comes back after its lease, instead of the event
 * being settled undeliverable as if no team of the bot's had the channel. */
export class ChannelListsUnread extends Error {
  constructor(teams: number) {
    super(`Teams did not give the channel lists of ${teams} team(s) right now; the channel may be in one of them.`);
    this.name = 'ChannelListsUnread';
  }
}
