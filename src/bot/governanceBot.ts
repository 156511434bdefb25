// The Teams activity handler: routes each activity to the part that handles it and translates
// nothing itself. Commands (commandTurns), card buttons (cardClicks, over the card-action
// protocol in domain/), the sign-in invokes (signInInvokes). A redelivered message runs once;
// an exception in an invoke becomes an error card, never a 5xx or a 501.

import { withoutBotMentions } from './botMentions';
import { ConversationReference, InvokeResponse, TeamsActivityHandler, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { SignInFlow } from '../auth/sso';
import { CardActionService } from '../domain/cardAction';
import { Clock } from '../domain/clock';
import { GovernanceService } from '../domain/governance';
import { CardEditLog } from '../state/cardEditLog';
import { TurnDedup, TurnMark } from '../state/turnDedup';
import { TURN_MARK } from './turnMark';
import { SETTINGS_VERB, isSettingsSubmit } from '../alerts/cards';
import type { AlertTurns } from './alertTurns';
import { ACT_VERB } from './cardActions';
import { CardClickDeps, CardClicks } from './cardClicks';
import { CommandTurns, PendingCommand } from './commandTurns';
import { InvokeFailures } from './invokeFailed';
import { cardError, cardReply, notACardAnswer } from './invokeResponses';
import { LIST_VERB } from './listCards';
import { ListParts, ListTurns } from './listTurns';
import { parseCommand } from './commands';
import { askForHelp } from './personalChat';
import { Later, Reply, ReplyCards, sendReply } from './replies';
import { SignInInvokes } from './signInInvokes';
import { routePersonalWelcome } from './personalWelcome';
import { routeTeamEvents } from './teamEvents';
import { unreadContentProblem } from './unreadContent';
import { ALL_USAGES } from './grammar';

// Kept here for the modules that import them from the handler (replyCards, notifications).
export type { Reply, ReplyCards } from './replies';
export type { PendingCommand } from './commandTurns';

const UNKNOWN_SUBMIT = 'That button is not one Governance Bot knows';
const REFRESH_REFUSED = 'Governance Bot cards do not refresh by themselves. Nothing was done; press a button to act.';

export type Proactive = (
  reference: Partial<ConversationReference>,
  logic: (ctx: TurnContext) => Promise<void>,
) => Promise<void>;

export interface GovernanceBotDeps {
  readonly governance: GovernanceService;
  readonly signIn: SignInFlow<PendingCommand>;
  readonly cardActions: Pick<
    CardActionService<unknown>,
    'refusal' | 'checked' | 'act' | 'settleCard' | 'recordRefusal' | 'now'
  >;
  readonly cards: ReplyCards;
  readonly logger: Logger;
  readonly proactive: Proactive;
  /** Message turns already handled, shared by every instance. */
  readonly turns: TurnDedup;
  /** The newest edit for everyone of each notification card, shared by every instance. */
  readonly editLog: CardEditLog<Reply>;
  /** The SSO app's tenant, for activities that name none. */
  readonly tenantId: string;
  /** "demo" posts notification cards to the user (the sandbox offers it). */
  readonly demo?: ((aadObjectId: string) => Promise<number>) | null;
  /** How often the typing indicator is renewed while Graph works. */
  readonly typingEveryMs?: number;
  /** The clock a typed command's receipt and the typing indicator are timed on (the system clock
   * when omitted). */
  readonly clock?: Clock;
  /** "my approvals" and "my requests" (absent: those commands say they are not available). */
  readonly lists?: ListParts;
  /** Channel alerts: the `alerts` commands, the settings card and the team events. */
  readonly alerts?: AlertTurns | null;
  /** Updates every other posted copy of a card once a click settled its item. */
  readonly copies?: CardClickDeps['copies'];
}

export class GovernanceBot extends TeamsActivityHandler {
  private readonly background = new Set<Promise<void>>();
  private readonly commands: CommandTurns;
  private readonly clicks: CardClicks;
  private readonly signInInvokes: SignInInvokes;
  private readonly invokeFailures: InvokeFailures;
  private readonly lists: ListTurns | null;
  /** Work in a conversation after the turn, that idle() waits for (an edit after an answer). */
  private readonly later: Later = (reference, logic) => this.runLater(reference, logic);

  constructor(private readonly deps: GovernanceBotDeps) {
    super();
    const later = this.later;
    this.commands = new CommandTurns(deps);
    this.clicks = new CardClicks({ ...deps, actions: deps.cardActions, commands: this.commands, later });
    const commands = this.commands;
    this.lists = deps.lists
      ? new ListTurns({ ...deps, ...deps.lists, actions: deps.cardActions, commands, later })
      : null;
    this.signInInvokes = new SignInInvokes({ ...deps, commands, lists: this.lists, clicks: this.clicks, later });
    const clock = deps.clock;
    this.invokeFailures = new InvokeFailures({ ...deps, ...(clock ? { now: () => clock.now() } : {}) });
    this.onMessage(async (ctx, next) => {
      const mark = await this.firstTime(ctx);
      if (mark === false) return next();
      if (mark) ctx.turnState.set(TURN_MARK, mark);
      try {
        await this.handleMessage(ctx);
      } finally {
        if (mark) deps.turns.end(mark);
      }
      await next();
    });
    routePersonalWelcome(this, deps);
    if (deps.alerts) routeTeamEvents(this, deps.alerts);
  }

  /** Resolves when work started after a turn (a command run after sign-in) has finished. */
  async idle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  protected override async onInvokeActivity(ctx: TurnContext): Promise<InvokeResponse> {
    const name = ctx.activity.name;
    try {
      return await this.routeInvoke(ctx, name);
    } catch (e) {
      return this.invokeFailures.answer(ctx, name, e);
    }
  }

  private async routeInvoke(ctx: TurnContext, name: string | undefined): Promise<InvokeResponse> {
    switch (name) {
      case 'signin/tokenExchange':
        return this.signInInvokes.tokenExchange(ctx);
      case 'signin/verifyState':
        return this.signInInvokes.verifyState(ctx);
      case 'signin/failure':
        return this.signInInvokes.failure(ctx);
      case 'adaptiveCard/action': {
        const value = (ctx.activity.value ?? {}) as {
          action?: { type?: unknown; verb?: unknown; data?: unknown };
          trigger?: unknown;
        };
        // "automatic" is a card's refresh, sent by Teams with no one pressing anything; no card of
        // this bot declares one, so it is nobody's decision and must never act or save.
        if (value.trigger === 'automatic') return cardError(400, 'NotSupported', REFRESH_REFUSED);
        const fromList = this.listRoute(value.action?.verb, value.action?.data);
        if (value.action?.type === 'Action.Execute' && fromList)
          return (await fromList(ctx, 'execute')) ?? { status: 200 };
        if (value.action?.type === 'Action.Execute' && value.action.verb === SETTINGS_VERB && this.deps.alerts) {
          return this.deps.alerts.save(ctx, value.action.data, this.later);
        }
        if (value.action?.type !== 'Action.Execute' || value.action.verb !== ACT_VERB) {
          return cardError(400, 'NotSupported', 'This card action is not one Governance Bot knows.');
        }
        return (await this.clicks.handle(ctx, value.action.data, 'execute')) ?? { status: 200 };
      }
      default: {
        // Teams has many invokes (task modules, message extensions, ...); none is ours. A 501 would
        // show the user a broken experience: answer, in the body Teams takes for it, that it is not.
        this.deps.logger.info(
          { event: 'bot.invoke.unknown', invoke: String(name ?? '').slice(0, 64) },
          'unknown invoke',
        );
        // A dialog or message extension invoke takes its own body, not a card (notACardAnswer).
        const said = `Nothing was done. ${askForHelp(ctx.activity.conversation)}`;
        return (
          notACardAnswer(name, `Not something Governance Bot does. ${said}`) ??
          cardReply(this.deps.cards.info('Not something Governance Bot does', said))
        );
      }
    }
  }

  private async handleMessage(ctx: TurnContext): Promise<void> {
    const activity = ctx.activity;
    const submitted = activity.value as { verb?: unknown } | undefined;
    const fromList = !activity.text && submitted ? this.listRoute(submitted.verb, submitted) : null;
    if (fromList) {
      await fromList(ctx, 'submit');
      return;
    }
    const said = withoutBotMentions(activity);
    const typed = activity.text ? parseCommand(said.text, said.botMentioned) : null;
    if (typed?.kind === 'myApprovals' || typed?.kind === 'myRequests') {
      const list = typed.kind === 'myApprovals' ? 'approvals' : 'requests';
      if (this.lists) return this.lists.command(ctx, list);
      // Every reply is a card with a summary (contract section 6), this one too.
      return sendReply(
        ctx,
        this.deps.cards.info('Lists are off', 'My approvals and my requests are not enabled on this bot.'),
      );
    }
    if (!activity.text && isSettingsSubmit(submitted) && this.deps.alerts) {
      // The settings card's Save as Action.Submit, on clients without Universal Actions.
      await this.deps.alerts.saveSubmitted(ctx, submitted);
      return;
    }
    if (!activity.text && submitted && typeof submitted === 'object' && submitted.verb === ACT_VERB) {
      // Action.Submit, the fallback of an Action.Execute button on older clients.
      await this.clicks.handle(ctx, submitted, 'submit');
      return;
    }
    const unread = unreadContentProblem(activity);
    if (unread) {
      const help = askForHelp(activity.conversation);
      return sendReply(ctx, this.deps.cards.usage({ problem: unread, usage: ALL_USAGES }, help));
    }
    if (!activity.text && submitted !== undefined && submitted !== null) {
      // An Action.Submit whose data is none of the above: a card of another app, or one of this bot
      // from before an upgrade. Not an empty message.
      const said = `Nothing was done. The card may be out of date or from another app. ${askForHelp(activity.conversation)}`;
      return sendReply(ctx, this.deps.cards.info(UNKNOWN_SUBMIT, said));
    }
    await this.commands.handle(ctx, said, typed ?? undefined);
  }

  /** The list handler for a list card's button ("more", or a row's button), or null. */
  private listRoute(
    verb: unknown,
    data: unknown,
  ): ((ctx: TurnContext, via: 'execute' | 'submit') => Promise<InvokeResponse | undefined>) | null {
    const lists = this.lists;
    if (!lists) return null;
    if (verb === LIST_VERB) return (ctx, via) => lists.more(ctx, via, data);
    const fromList = (data as { list?: unknown } | null | undefined)?.list;
    if (verb === ACT_VERB && (fromList === 'approvals' || fromList === 'requests')) {
      return (ctx, via) => lists.click(ctx, data, via);
    }
    return null;
  }

  /** False for a message Teams delivered again (same conversation and activity id); else the
   * turn's mark, or null when it has none (no id, or the store failed). */
  private async firstTime(ctx: TurnContext): Promise<TurnMark | null | false> {
    const { id, conversation } = ctx.activity;
    if (!id || !conversation?.id) return null;
    try {
      const mark = await this.deps.turns.begin(conversation.id, id);
      if (mark) return mark;
      this.deps.logger.info({ event: 'bot.turn.duplicate' }, 'redelivered message ignored');
      return false;
    } catch (e) {
      // Without the shared record the bot cannot tell; running is better than dropping a command.
      this.deps.logger.warn({ err: e, event: 'bot.turn.dedup.failed' }, 'could not record the turn');
      return null;
    }
  }

  private runLater(
    reference: Partial<ConversationReference>,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<void> {
    const task = this.deps
      .proactive(reference, logic)
      .catch((e: unknown) =>
        this.deps.logger.error({ err: e, event: 'bot.background.failed' }, 'background turn failed'),
      )
      .finally(() => this.background.delete(task));
    this.background.add(task);
    return task;
  }
}
