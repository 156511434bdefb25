// The sandbox's ops team: its "Governance alerts" channel hears every category from the start,
// and the team is reachable before anyone opened it in the Agents Playground.

import type { Alerts } from '../notifications/alertsSetup';
import type { SandboxAlertsTeam } from '../sandbox/alertsTeam';
import { GovernanceAdapter } from './adapter';

/** Where the Playground's connector answers for the team, when the launcher knows it at start. */
export interface SandboxTeamReach {
  readonly serviceUrl: string;
  readonly botId: string;
  readonly tenantId: string;
}

/** The sandbox's alerts channel hears every category from the start. The launcher starts the
 * Playground before the bot and hands over its connector address (`reach`), so the channel is
 * reachable before anyone opened the Playground; without it (a bot started on its own) the address
 * is learned from the first turn that names it (any chat). */
export async function seedSandboxTeam(
  alerts: Alerts,
  team: SandboxAlertsTeam,
  adapter: GovernanceAdapter,
  reach?: SandboxTeamReach,
): Promise<void> {
  await alerts.subscriptions.setTeamChannels(team.teamId, team.channels);
  const ref = { teamId: team.teamId, channelId: team.alertsChannelId };
  const actor = { userId: null, correlationId: 'sandbox-seed' };
  await alerts.subscriptions.replaceAll(ref, team.categories, true, actor);
  if (reach)
    await alerts.reach.rememberTeam(team.teamId, {
      serviceUrl: reach.serviceUrl,
      channelId: 'msteams',
      bot: { id: reach.botId },
      conversation: { id: team.teamId, tenantId: reach.tenantId },
    });
  let known = false;
  adapter.use({
    onTurn: async (ctx, next) => {
      const serviceUrl = ctx.activity.serviceUrl;
      if (!known && serviceUrl) {
        known = true;
        await alerts.reach.rememberTeam(team.teamId, {
          serviceUrl,
          channelId: ctx.activity.channelId,
          ...(ctx.activity.recipient?.id ? { bot: { id: ctx.activity.recipient.id } } : {}),
          conversation: {
            id: team.teamId,
            ...(ctx.activity.conversation?.tenantId ? { tenantId: ctx.activity.conversation.tenantId } : {}),
          },
        });
      }
      await next();
    },
  });
}
