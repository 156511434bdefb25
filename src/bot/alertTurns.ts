// Channel alerts at the Teams edge: the `alerts` commands, the settings card's Save (Action.Execute
// verb `alerts.save`), and the team events that make channels reachable or forget them. Who may
// change a channel's subscriptions is decided by alerts/authorization.ts from the Teams roster
// (`userRole` of TeamsInfo.getMember), the owners of the team's Microsoft 365 group and, when
// configured, the user's Entra groups; every change
// (and every refusal) writes an audit line. The settings card's Save is alertSave.ts's; what the bot
// asks Teams about a team (roster, channels, group) is teamsDirectory.ts's.
// Team and channel events: https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events

import { InvokeResponse, TurnContext, teamsGetTeamInfo } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { welcomeCard } from '../alerts/cards';
import { CATEGORIES, CategoryId } from '../alerts/categories';
import { AlertSubscriptions, TeamChannel } from '../alerts/subscriptions';
import { TeamReach } from '../alerts/teamReach';
import { Clock } from '../domain/clock';
import type { CardEditLog } from '../state/cardEditLog';
import type { TurnDedup } from '../state/turnDedup';
import { Where, auditSubscriptions, channelOfTurn, settingsReply } from './alertChannel';
import { stampOf } from './turnUser';
import { AlertsCommand } from './alertCommands';
import { PermissionDeps, alertPermission } from './alertPermission';
import { AlertSave } from './alertSave';
import { RESUMED_WORDS } from './alertSaveWords';
import { Later, Reply, ReplyCards, sendReply } from './replies';
import { TeamsDirectory, teamsInfoDirectory } from './teamsDirectory';
import { Standing, givenUpAnswer, turnMarkOf } from './turnMark';

/** Who may change a channel's alerts is told by the permission check's own deps (the roster
 * lookup comes from `teams`). */
export interface AlertTurnDeps extends Omit<PermissionDeps, 'member' | 'teamGroup'> {
  readonly subscriptions: AlertSubscriptions;
  readonly reach: TeamReach;
  readonly cards: ReplyCards;
  readonly teams?: TeamsDirectory;
  /** The newest edit for everyone of each card (the settings card's among them), shared by every
   * instance. */
  readonly editLog: CardEditLog<Reply>;
  /** Measures the Save's permission budget (the system clock by default). */
  readonly clock?: Clock;
  /** How long after its arrival a Save may still be allowed (the clicks' 8 s by default). */
  readonly saveBudgetMs?: number;
  /** The message turns' duplicate marks: whether a given-up turn's redelivery has begun. */
  readonly turns?: Pick<TurnDedup, 'markedAgain'>;
}

export class AlertTurns {
  private readonly teams: TeamsDirectory;
  private readonly permissionDeps: PermissionDeps;
  private readonly saves: AlertSave;

  constructor(private readonly deps: AlertTurnDeps) {
    const teams = deps.teams ?? teamsInfoDirectory;
    this.teams = teams;
    const withMember = {
      ...deps,
      member: (ctx: TurnContext, userId: string) => teams.member(ctx, userId),
      teamGroup: (ctx: TurnContext, teamId: string) => teams.teamGroup(ctx, teamId),
    };
    this.permissionDeps = withMember;
    this.saves = new AlertSave(withMember);
  }

  async command(ctx: TurnContext, command: AlertsCommand): Promise<void> {
    // Before its settings' write it writes only what a second run writes the same (the team's
    // reference and channels): a stop that cuts it then gives its duplicate mark back, and it writes
    // nothing more, for its redelivery runs it elsewhere. It says nothing was changed unless that
    // redelivery has begun and answers (turnMark.ts givenUpAnswer). From that write on, it keeps it.
    turnMarkOf(ctx)?.mayGiveBack();
    const said = (standing: Standing, r: Reply): Promise<void> =>
      standing === 'redelivered' ? Promise.resolve() : sendReply(ctx, standing === 'runs' ? r : this.notDone(command));
    const reply = async (r: Reply): Promise<void> =>
      said(await givenUpAnswer(ctx, this.deps.turns, this.deps.logger), r);
    const where = channelOfTurn(ctx);
    if (!where) {
      return reply(
        this.deps.cards.info(
          'Alerts are set per channel',
          'Add Governance Bot to a team, then @mention it in a channel with "alerts" to choose what that channel hears.',
        ),
      );
    }
    await this.noteTeam(ctx, where);
    if (command.action === 'show')
      return reply(await settingsReply(this.deps.subscriptions, where, this.deps.authority));
    const refusal = await this.refusal(ctx, where, {
      via: 'command',
      category: command.category,
      on: command.action === 'on',
    });
    if (refusal) return reply(this.deps.cards.info('Alert settings unchanged', refusal));
    const actor = { userId: ctx.activity.from?.aadObjectId ?? null, correlationId: randomUUID() };
    const standing = await givenUpAnswer(ctx, this.deps.turns, this.deps.logger);
    if (standing !== 'runs') return said(standing, this.notDone(command));
    // Whether it resumed the channel is told by its own write, not by a read before it.
    const on = command.action === 'on';
    const { audit, resumed } = await this.deps.subscriptions.setCategory(where, command.category, on, actor);
    auditSubscriptions(this.deps.logger, [audit], 'command');
    return sendReply(ctx, this.changed(command.category, on, audit.changed, resumed));
  }

  /** The settings card's Save: answered with the card as now saved (or as not saved, past the
   * budget); the card everyone sees is replaced by `later`, after the answer. */
  save(ctx: TurnContext, data: unknown, later: Later): Promise<InvokeResponse> {
    return this.saves.execute(ctx, data, later);
  }

  /** The same Save as the Action.Submit fallback of clients without Universal Actions: the answer
   * is a message (a submit has no card to return). */
  saveSubmitted(ctx: TurnContext, data: unknown): Promise<void> {
    return this.saves.submitted(ctx, data);
  }

  /** The bot was added to a team (or installed there): learn its channels, then say hello with
   * the settings card in the channel where it was added. */
  async installed(ctx: TurnContext): Promise<void> {
    const where = channelOfTurn(ctx);
    if (!where) return;
    // Sent before a removal handled already (two instances, a redelivery): the bot has left.
    const at = sentAt(ctx);
    if (!(await this.deps.reach.noteBot(where.teamId, 'added', at))) return;
    await this.noteTeam(ctx, where, true);
    // The same addition handled again (a redelivery, a second instance's copy, even at once):
    // welcomed once. Taken before posting; a post that fails gives it back for the redelivery, and
    // one that never ends (the handling died) frees it once its hold has passed (teamPresence.ts).
    if (!(await this.deps.reach.takeWelcome(where.teamId, at))) return;
    try {
      await sendReply(ctx, {
        attachment: welcomeCard(where.teamName),
        summary: 'Governance Bot can announce identity governance activity in this team',
      });
      await sendReply(ctx, await settingsReply(this.deps.subscriptions, where, this.deps.authority));
    } catch (e) {
      await this.deps.reach.giveBackWelcome(where.teamId, at).catch(() => undefined);
      throw e;
    }
    await this.deps.reach.welcomePosted(where.teamId, at);
  }

  /** The bot was removed from the team (or uninstalled there), or the team was deleted for good
   * (teamHardDeleted): every channel is forgotten. */
  async teamGone(ctx: TurnContext): Promise<void> {
    const teamId = teamsGetTeamInfo(ctx.activity)?.id;
    if (!teamId) return;
    // Removed from one private or shared channel only (channelMemberRemoved names the bot too):
    // still in the team, so nothing is forgotten; that channel's next alert is refused and
    // suspends it. https://learn.microsoft.com/en-us/microsoftteams/platform/concepts/build-and-test/app-developer-guidance-shared-private-channel
    if ((ctx.activity.channelData as { eventType?: unknown } | undefined)?.eventType === 'channelMemberRemoved') {
      const channelId = channelOfTurn(ctx)?.channelId ?? null;
      this.deps.logger.info(
        { event: 'alerts.channel.botRemoved', teamId, channelId },
        'the bot was removed from a channel',
      );
      return;
    }
    // Sent before an addition handled already: the bot is in the team again, nothing is forgotten.
    if (!(await this.deps.reach.noteBot(teamId, 'removed', sentAt(ctx)))) return;
    // Each channel's lines as soon as its subscriptions end: a store failure further on (Teams says
    // it twice, membersRemoved and installationUpdate, so the second ends the rest) loses none.
    await this.deps.subscriptions.forgetTeam(teamId, { userId: null, correlationId: randomUUID() }, (audits) =>
      auditSubscriptions(this.deps.logger, audits, 'teamRemoved'),
    );
    await this.deps.reach.forgetTeam(teamId);
  }

  /** The team was archived (its channels read-only) or deleted (Teams can still restore it): its
   * channels' alerts are suspended, their choices kept, until Teams lists the channels again
   * (teamUnarchived, teamRestored: channelsChanged). */
  async teamOutOfUse(ctx: TurnContext, event: 'archived' | 'deleted'): Promise<void> {
    const teamId = teamsGetTeamInfo(ctx.activity)?.id;
    if (teamId) await this.deps.subscriptions.suspendTeam(teamId, event, sentAt(ctx));
  }

  /** The team was unarchived or restored: the channels its archiving or deletion suspended resume
   * (the event says so, whatever the channel list answers), then the list is read again. */
  async teamBack(ctx: TurnContext): Promise<void> {
    const teamId = teamsGetTeamInfo(ctx.activity)?.id;
    if (teamId) await this.deps.subscriptions.resumeTeam(teamId, sentAt(ctx));
    await this.channelsChanged(ctx);
  }

  /** Teams can restore a deleted channel (channelRestored): its alerts are suspended, choices
   * kept, until the team's list names it again (channelsChanged). */
  async channelDeleted(ctx: TurnContext, channelId: string): Promise<void> {
    await this.deps.subscriptions.channelEvent(channelId, 'deleted', sentAt(ctx));
  }

  /** A channel restored: noted with the time Teams sent it, so a deletion sent before it and handled
   * only now (another instance, a redelivery) suspends nothing; then the list is read again. A restore
   * sent before a deletion handled already is older news: the channel is gone again, nothing resumes. */
  async channelRestored(ctx: TurnContext, channelId: string): Promise<void> {
    if (await this.deps.subscriptions.channelEvent(channelId, 'restored', sentAt(ctx))) await this.channelsChanged(ctx);
  }

  /** A new channel, a renamed or restored one, or the whole team back (unarchived, restored): the
   * team's list is read again, which resumes the listed channels' alerts. */
  async channelsChanged(ctx: TurnContext): Promise<void> {
    const where = channelOfTurn(ctx);
    if (where) await this.noteTeam(ctx, where, true);
  }

  /** The team's reference on every team turn (cheap when unchanged); the channel list when asked
   * or when this channel is not on it yet. */
  private async noteTeam(ctx: TurnContext, where: Where, refresh = false): Promise<void> {
    const reference = TurnContext.getConversationReference(ctx.activity);
    await this.deps.reach.rememberTeam(where.teamId, {
      ...(reference.serviceUrl ? { serviceUrl: reference.serviceUrl } : {}),
      ...(reference.channelId ? { channelId: reference.channelId } : {}),
      ...(reference.bot?.id
        ? { bot: { id: reference.bot.id, ...(reference.bot.name ? { name: reference.bot.name } : {}) } }
        : {}),
      conversation: { id: where.teamId, ...(tenantOfTurn(ctx) ? { tenantId: tenantOfTurn(ctx)! } : {}) },
    });
    if (!refresh && (await this.deps.subscriptions.teamOf(where.channelId)) === where.teamId) return;
    let channels: TeamChannel[];
    let listed = true;
    try {
      channels = await this.teams.channels(ctx, where.teamId);
    } catch (e) {
      this.deps.logger.warn({ err: e, event: 'alerts.channels.failed' }, 'could not read the team channel list');
      // What the bot knew of the team stands: the list is how removing the bot forgets every channel.
      channels = [...((await this.deps.subscriptions.teamChannels(where.teamId)) ?? [])];
      listed = false;
    }
    // This turn's channel exists whatever the list said.
    if (!channels.some((c) => c.id === where.channelId)) {
      channels.push({ id: where.channelId, name: where.channelName ?? 'this channel' });
    }
    // A kept list is no news of the bot in its channels (one may have refused it since): only the
    // turn's channel is shown, so only it may resume.
    await this.deps.subscriptions.setTeamChannels(where.teamId, channels, listed ? undefined : [where.channelId]);
  }

  /** Why this user may not change the channel's alerts (the refusal logged), or null when they may. */
  private async refusal(ctx: TurnContext, where: Where, asked: Record<string, unknown>): Promise<string | null> {
    const permission = await alertPermission(ctx, where, this.permissionDeps);
    if (permission.allowed) return null;
    permission.logRefusal(asked);
    return permission.reason;
  }

  /** A command given up at shutdown before its settings' write, whose redelivery has not begun
   * (and may never come): nothing was changed, and the command is to be sent again. */
  private notDone(command: AlertsCommand): Reply {
    if (command.action === 'show')
      return this.deps.cards.info(
        'Alert settings not shown',
        'Governance Bot was stopping before it showed this channel\'s alert settings; nothing was changed. If no settings card follows, @mention Governance Bot and send "alerts" again in a moment.',
      );
    const typed = `alerts ${command.action} ${CATEGORIES[command.category].aliases[0] ?? command.category}`;
    return this.deps.cards.info(
      'Alert settings unchanged',
      `Governance Bot was stopping before it changed this channel's alerts, so nothing was changed. If no answer follows, @mention Governance Bot and send "${typed}" again in a moment.`,
    );
  }

  private changed(category: CategoryId, on: boolean, changed: boolean, resumed: boolean): Reply {
    const name = CATEGORIES[category].name;
    const title = on ? `${name}: on in this channel` : `${name}: off in this channel`;
    // A settings card does not change by itself: one shown earlier still shows the old choice (its
    // Save leaves a toggle its presser did not switch as stored; one posted before cards carried
    // what they showed writes it back, saying so: alertSaveWords.ts). In a channel the bot hears
    // only an @mention.
    const earlier =
      'Settings cards shown earlier here do not change by themselves: @mention Governance Bot and type "alerts" for a current one.';
    const again = resumed ? ` And ${RESUMED_WORDS}` : '';
    const text = changed
      ? `This channel ${on ? 'now hears' : 'no longer hears'} ${inSentence(name)}.${again} ${earlier}`
      : `It already was ${on ? 'on' : 'off'}; ${resumed ? RESUMED_WORDS : 'nothing changed.'}`;
    return this.deps.cards.info(title, text);
  }
}

/** When Teams sent the turn's activity (turnUser.ts stampOf): the team events are ordered by it. */
const sentAt = (ctx: TurnContext): number | undefined => stampOf(ctx.activity);

function tenantOfTurn(ctx: TurnContext): string | undefined {
  return ctx.activity.conversation?.tenantId ?? (ctx.activity.channelData as { tenant?: { id?: string } })?.tenant?.id;
}

/** A category's name inside a sentence: its first letter in lower case, but an acronym that opens
 * it ("PIM role requests") kept as it is written. */
function inSentence(name: string): string {
  const first = name.split(' ')[0] ?? '';
  if (first.length > 1 && first === first.toUpperCase()) return name;
  return name.charAt(0).toLowerCase() + name.slice(1);
}
