// The channel a team turn concerns, and what the alert turns say about its settings: the card as
// stored now, and the audit line of each subscription change.

import { TurnContext, teamsGetChannelId, teamsGetTeamInfo } from 'botbuilder';
import type { Logger } from 'pino';
import { settingsCard } from '../alerts/cards';
import { AlertSubscriptions, ChannelRef, SubscriptionAudit } from '../alerts/subscriptions';
import { graphName } from '../domain/shownNames';
import { SaveWords, showsSave } from './alertSaveWords';
import { Reply } from './replies';
import type { Made } from './sharedCardEdits';

export interface Where extends ChannelRef {
  /** The team's and the channel's names as the cards show them (shownNames.ts); null when Teams
   * gave none, or one that shows as nothing. */
  readonly teamName: string | null;
  readonly channelName: string | null;
}

/** A team's or a channel's name as Teams gives it (channelData: TeamInfo.name, ChannelInfo.name),
 * typed by the team's owners, shown as the names from the directory are: without bidirectional
 * embeddings, overrides, isolates or control characters, which would make the welcome, the settings
 * card and their summaries read otherwise than they are. A team's name is its Microsoft 365 group's
 * displayName (up to 256 characters); a channel's is shorter. */
const shownPlaceName = (v: unknown): string | null => graphName(v, 256);

/** The team and channel of the turn, or null outside a team's channel. */
export function channelOfTurn(ctx: TurnContext): Where | null {
  const team = teamsGetTeamInfo(ctx.activity);
  // Team events (the bot added, say) may name no channel: they come in the conversation of the
  // channel they concern, the General channel whose id is the team's.
  const conversation = ctx.activity.conversation;
  const channelId =
    teamsGetChannelId(ctx.activity) ??
    (conversation?.conversationType === 'channel' ? (conversation.id.split(';')[0] ?? null) : null);
  if (!team?.id || !channelId) return null;
  const channel = (ctx.activity.channelData as { channel?: { name?: unknown } } | undefined)?.channel;
  return {
    teamId: team.id,
    channelId,
    teamName: shownPlaceName(team.name),
    channelName: shownPlaceName(channel?.name),
  };
}

/** How a channel is named in a sentence. */
export function channelWords(where: Where): string {
  return where.channelName ? `#${where.channelName}` : 'this channel';
}

/** Who may save a channel's settings, as its card says: whether an admin group may, besides the
 * team's owners (authorization.ts). */
export interface SettingsAuthority {
  readonly adminGroupIds: readonly string[];
}

/** The settings card as stored now; after a save its summary says so (it is also the one line
 * said when Teams does not take the card). */
export async function settingsReply(
  subscriptions: AlertSubscriptions,
  where: Where,
  authority: SettingsAuthority,
  saved = false,
): Promise<Reply> {
  return (await settingsMade(subscriptions, where, authority, saved)).reply;
}

/** The settings card as stored now, ranked by the revision it was made from (sharedCardEdits.ts);
 * with a Save's words when it still shows what that Save wrote. */
export async function settingsMade(
  subscriptions: AlertSubscriptions,
  where: Where,
  authority: SettingsAuthority,
  saved = false,
  said?: SaveWords,
): Promise<Made> {
  const { settings, revision } = await subscriptions.revised(where.channelId);
  const channel = channelWords(where);
  const stored = settings ?? { categories: [], digest: false };
  const words = said && showsSave(stored, said) ? { title: said.title, text: said.text } : undefined;
  const reply = {
    attachment: settingsCard(where.channelName, stored, words, authority.adminGroupIds.length > 0),
    summary: saved ? `Alert settings saved for ${channel}` : `Alert settings for ${channel}`,
  };
  return { reply, rank: revision };
}

export function auditSubscriptions(logger: Logger, audits: readonly SubscriptionAudit[], via: string): void {
  for (const a of audits) logger.info({ ...a, via }, 'alerts.subscription');
}
