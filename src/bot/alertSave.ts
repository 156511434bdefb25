// The channel alerts settings card's Save: as Action.Execute (invoke adaptiveCard/action, verb
// `alerts.save`) or its Action.Submit fallback (a message). A Save writes at once every toggle the
// person changed from what the card showed (settingsChoices.ts; every toggle it carries, on a card
// posted before cards said what they showed); any other setting stays as stored, and another Save's
// write meanwhile is kept (channelSettings.ts applyChoices). Its answer names each setting it so left
// though the card showed it otherwise (alertSaveWords.ts), for the presser not to take it as theirs.
// Time. A Save click is an invoke: Teams gives it about 5 s before its client retries and Azure Bot
// Service gives up after 10 to 15 s (the links are in domain/cardAction.ts's header). So the
// permission check (roster, groups) must end within the clicks' budget counted from the Save's
// arrival, or nothing is saved and the person is asked to press Save again; and the card everyone
// sees is replaced after the invoke's answer, never before it (an edit for everyone may take the
// connector's whole deadline).

import { InvokeResponse, TurnContext } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { SettingsView, settingsViewCard } from '../alerts/cards';
import {
  SETTINGS_TOPICS,
  carriedChoices,
  changedChoices,
  changedMeanwhile,
  notSavedView,
  shownChoices,
} from '../alerts/settingsChoices';
import { AlertSubscriptions } from '../alerts/subscriptions';
import { CLICK_BUDGET_MS } from '../domain/cardAction';
import { Clock, beforeDeadline, systemClock } from '../domain/clock';
import { Where, auditSubscriptions, channelOfTurn, channelWords, settingsMade } from './alertChannel';
import { PermissionDeps, alertPermission } from './alertPermission';
import { SaveWords, saveWords } from './alertSaveWords';
import { cardError, cardReply } from './invokeResponses';
import type { CardEditLog } from '../state/cardEditLog';
import type { TurnDedup } from '../state/turnDedup';
import { Later, Reply, ReplyCards, sendReply } from './replies';
import { Made, SharedCardEdits } from './sharedCardEdits';
import { givenUpAnswer, keepTurn, turnMarkOf } from './turnMark';

export interface AlertSaveDeps extends PermissionDeps {
  readonly subscriptions: AlertSubscriptions;
  readonly cards: ReplyCards;
  readonly logger: Logger;
  /** The newest edit for everyone of each card, shared by every instance. */
  readonly editLog: CardEditLog<Reply>;
  /** Measures the permission budget (the system clock by default). */
  readonly clock?: Clock;
  /** How long after its arrival a Save may still be allowed (CLICK_BUDGET_MS by default). */
  readonly saveBudgetMs?: number;
  /** The message turns' duplicate marks: whether a given-up Save's redelivery has begun. */
  readonly turns?: Pick<TurnDedup, 'markedAgain'>;
}

type Applied =
  | { readonly kind: 'elsewhere' }
  /** An Action.Submit Save given up at shutdown before its write: its redelivery saves. */
  | { readonly kind: 'givenUp' }
  | { readonly kind: 'refused'; readonly refusal: string }
  /** The Save carried none of the card's toggles: nothing is written (NO_CHOICES). */
  | { readonly kind: 'noChoices' }
  | { readonly kind: 'late'; readonly reply: Reply; readonly where: Where }
  | {
      readonly kind: 'saved';
      readonly reply: Reply;
      readonly where: Where;
      readonly made: Made;
      readonly said: SaveWords;
    };

const ELSEWHERE = 'Alert settings are saved in a channel of a team.';
/** An Action.Submit Save given up at shutdown before its write, whose redelivery has not begun
 * (and may never come). The card keeps the choices made on it. */
const GIVEN_UP =
  "Governance Bot was stopping before it saved this channel's alert settings, so nothing was changed. If no answer follows, press Save again in a moment.";
const NO_CHOICES =
  'The Save carried none of the card\'s choices, so nothing was changed. Send "alerts" for a new settings card, choose there and press Save.';

export class AlertSave {
  private readonly clock: Clock;
  private readonly budgetMs: number;
  /** The edits for everyone of each settings card, in order across instances. */
  private readonly edits: SharedCardEdits;

  constructor(private readonly deps: AlertSaveDeps) {
    this.clock = deps.clock ?? systemClock;
    this.budgetMs = deps.saveBudgetMs ?? CLICK_BUDGET_MS;
    this.edits = new SharedCardEdits(deps.editLog, deps.logger);
  }

  /** Action.Execute: answered with the card as now saved; the card everyone else sees is replaced
   * by `later`, after the answer. */
  async execute(ctx: TurnContext, data: unknown, later: Later): Promise<InvokeResponse> {
    const saved = await this.apply(ctx, data);
    // An invoke has no duplicate mark, so it is never given up ('givenUp' is a message's).
    if (saved.kind === 'elsewhere' || saved.kind === 'givenUp') return cardError(400, 'BadRequest', ELSEWHERE);
    if (saved.kind === 'refused') return cardError(400, 'NotAllowed', saved.refusal);
    if (saved.kind === 'noChoices') return cardError(400, 'BadRequest', NO_CHOICES);
    const cardId = ctx.activity.replyToId;
    if (saved.kind === 'saved' && cardId) {
      const { where, said } = saved;
      this.edits.requestMade(later, TurnContext.getConversationReference(ctx.activity), cardId, {
        make: () => settingsMade(this.deps.subscriptions, where, this.deps.authority, true, said),
        taken: (taken) => {
          if (!taken) this.stale(where);
        },
      });
    }
    return cardReply(saved.reply);
  }

  /** The card everyone sees is replaced with the settings as stored when the edit is sent (not as
   * its Save read them), ranked by the revision they were read from: the last card Teams takes shows
   * the newest Save, whatever order the edits start or land in on whichever instance. When Teams did
   * not take it, the saver was told it is saved (it is); the others still see the old choices. */
  private stale(where: Where): void {
    this.deps.logger.warn(
      { event: 'alerts.settings.card.stale', teamId: where.teamId, channelId: where.channelId },
      'the saved alert settings could not be shown to everyone in the channel',
    );
  }

  /** Action.Submit, on clients without Universal Actions: a message whose value holds the toggles.
   * The answer is a message (a submit has no card to return). */
  async submitted(ctx: TurnContext, data: unknown): Promise<void> {
    // A message, which Teams delivers again: until its write, a stop that cuts it (its permission
    // reads) gives its duplicate mark back, and it then writes nothing. It says nothing was saved
    // unless its redelivery has begun and answers (turnMark.ts givenUpAnswer).
    turnMarkOf(ctx)?.mayGiveBack();
    const saved = await this.apply(ctx, data);
    const standing = await givenUpAnswer(ctx, this.deps.turns, this.deps.logger);
    if (standing === 'redelivered') return;
    if (standing === 'unanswered' || saved.kind === 'givenUp')
      return sendReply(ctx, this.deps.cards.info('Alert settings not saved', GIVEN_UP));
    if (saved.kind === 'elsewhere')
      return sendReply(ctx, this.deps.cards.info('Alerts are set per channel', ELSEWHERE));
    if (saved.kind === 'refused')
      return sendReply(ctx, this.deps.cards.info('Alert settings unchanged', saved.refusal));
    if (saved.kind === 'noChoices') return sendReply(ctx, this.deps.cards.info('Alert settings unchanged', NO_CHOICES));
    if (saved.kind === 'late') return sendReply(ctx, saved.reply);
    // Everyone in the channel sees the saved choices: the card is replaced in place when Teams
    // named it and took the update; otherwise the saved card is the answer.
    const cardId = ctx.activity.replyToId;
    const replaced = cardId ? await this.edits.replaceMadeNow(ctx, cardId, saved.made) : false;
    if (!replaced) await sendReply(ctx, saved.reply);
  }

  /** Checks who asks within the budget, then writes the toggles the person changed; the card as now saved. */
  private async apply(ctx: TurnContext, data: unknown): Promise<Applied> {
    const arrivedAt = this.clock.now();
    const where = channelOfTurn(ctx);
    if (!where) return { kind: 'elsewhere' };
    const carried = carriedChoices(data);
    if (Object.keys(carried).length === 0) return { kind: 'noChoices' };
    const shown = shownChoices(data);
    // The answer of a Save not checked in time shows the stored settings whose toggles the Save did
    // not carry (its card had none): read only then (a current card carries every toggle), and
    // while the permission is checked, as that answer comes once the budget is spent: it then
    // waits on no store and fails with none (undefined).
    const stored = SETTINGS_TOPICS.some((topic) => carried[topic] === undefined)
      ? this.deps.subscriptions.get(where.channelId).catch(() => undefined)
      : null;
    const permission = await beforeDeadline(
      this.clock,
      arrivedAt + this.budgetMs,
      alertPermission(ctx, where, this.deps),
    );
    const userId = ctx.activity.from?.aadObjectId ?? null;
    if (!permission.inTime) {
      // The check goes on unseen; nothing is written whatever it decides.
      this.deps.logger.warn(
        {
          event: 'alerts.save.late',
          teamId: where.teamId,
          channelId: where.channelId,
          userId,
          correlationId: randomUUID(),
        },
        'who may change the alerts was not known in time: nothing saved',
      );
      const read = stored && (await beforeDeadline(this.clock, this.clock.now() + LATE_READ_GRACE_MS, stored));
      const view = notSavedView(carried, shown, read && read.inTime ? read.value : undefined);
      return { kind: 'late', reply: notSaved(where, view, this.deps.authority.adminGroupIds.length > 0), where };
    }
    if (!permission.value.allowed) {
      permission.value.logRefusal({ via: 'card' });
      return { kind: 'refused', refusal: permission.value.reason };
    }
    const actor = { userId, correlationId: randomUUID() };
    if (!keepTurn(ctx)) return { kind: 'givenUp' };
    const changed = changedChoices(carried, shown);
    // Whether it resumed the channel is told by its own write, not by a read before it.
    const { audits, settings, resumed } = await this.deps.subscriptions.applyChoices(where, changed, actor);
    auditSubscriptions(this.deps.logger, audits, 'card');
    // A toggle left as shown kept the stored setting: the settings its write left tell, with no
    // other read, which of them someone changed since the card was shown.
    const meanwhile = changedMeanwhile(shown, changed, settings);
    const said = saveWords(channelWords(where), settings, audits, ctx.activity.from?.name || undefined, {
      resumed,
      meanwhile,
    });
    const made = await settingsMade(this.deps.subscriptions, where, this.deps.authority, true, said);
    return { kind: 'saved', reply: made.reply, where, made, said };
  }
}

/** How long a Save not checked in time still waits for its read of the stored settings, begun
 * with the check: only a store that hangs is still reading by then. */
const LATE_READ_GRACE_MS = 100;

/** The settings card with the person's own choices (settingsChoices.ts notSavedView), saying that
 * nothing was saved, and that the settings it leaves out (not read in time) stay as they are. */
function notSaved(where: Where, wanted: SettingsView, adminGroup: boolean): Reply {
  const channel = channelWords(where);
  const partial = SETTINGS_TOPICS.some((topic) => wanted.toggles[topic] === undefined);
  const rest = partial ? ' The settings not shown here could not be read, and a Save leaves them as they are.' : '';
  return {
    attachment: settingsViewCard(
      where.channelName,
      wanted,
      {
        title: 'Alert settings not saved',
        text: `I could not check in time whether you may change the alerts of ${channel}, so nothing was saved. Your choices are still below: press Save again.${rest}`,
      },
      adminGroup,
    ),
    summary: `Alert settings not saved for ${channel}: press Save again`,
  };
}
