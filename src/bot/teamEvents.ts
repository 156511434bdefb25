// The team events of channel alerts, routed from the Teams activity handler: the bot added to a
// team (its welcome and settings card), removed, the team archived, deleted or back, a channel
// created, renamed, deleted or restored.

import { TeamsActivityHandler, TurnContext } from 'botbuilder';
import { AlertTurns } from './alertTurns';

/** Added to a team: welcome and settings; removed, or the team deleted for good: forget; the team
 * archived or deleted, or a channel deleted (all restorable): suspend until it is back. */
export function routeTeamEvents(bot: TeamsActivityHandler, alerts: AlertTurns): void {
  const isBot = (ctx: TurnContext, members: ReadonlyArray<{ id: string }> | undefined) =>
    (members ?? []).some((m) => m.id === ctx.activity.recipient?.id);
  bot.onMembersAdded(async (ctx, next) => {
    if (isBot(ctx, ctx.activity.membersAdded)) await alerts.installed(ctx);
    await next();
  });
  bot.onMembersRemoved(async (ctx, next) => {
    if (isBot(ctx, ctx.activity.membersRemoved)) await alerts.teamGone(ctx);
    await next();
  });
  // botbuilder routes `remove-upgrade` here too, and rightly: Teams sends it when an upgrade of the
  // app removed its bot (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events#installation-update-event),
  // so the bot has left the team as surely as at `remove`.
  bot.onInstallationUpdateRemove(async (ctx, next) => {
    await alerts.teamGone(ctx);
    await next();
  });
  // Archived (read-only) or deleted (restorable): suspended, choices kept, until the team is back.
  bot.onTeamsTeamArchivedEvent(async (_team, ctx, next) => {
    await alerts.teamOutOfUse(ctx, 'archived');
    await next();
  });
  bot.onTeamsTeamDeletedEvent(async (_team, ctx, next) => {
    await alerts.teamOutOfUse(ctx, 'deleted');
    await next();
  });
  bot.onTeamsTeamHardDeletedEvent(async (_team, ctx, next) => {
    await alerts.teamGone(ctx);
    await next();
  });
  bot.onTeamsChannelDeletedEvent(async (channel, _team, ctx, next) => {
    if (channel.id) await alerts.channelDeleted(ctx, channel.id);
    await next();
  });
  const changed = async (_channel: unknown, _team: unknown, ctx: TurnContext, next: () => Promise<void>) => {
    await alerts.channelsChanged(ctx);
    await next();
  };
  bot.onTeamsChannelCreatedEvent(changed);
  bot.onTeamsChannelRenamedEvent(changed);
  bot.onTeamsChannelRestoredEvent(async (channel, _team, ctx, next) => {
    if (channel.id) await alerts.channelRestored(ctx, channel.id);
    else await alerts.channelsChanged(ctx);
    await next();
  });
  const teamBack = async (_team: unknown, ctx: TurnContext, next: () => Promise<void>) => {
    await alerts.teamBack(ctx);
    await next();
  };
  bot.onTeamsTeamUnarchivedEvent(teamBack);
  bot.onTeamsTeamRestoredEvent(teamBack);
}
