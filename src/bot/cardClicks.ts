// A button press, as Action.Execute (invoke adaptiveCard/action) or its Action.Submit fallback (a
// message): parsed, signed in and handed to the card-action protocol; its typed outcome is turned
// into the invoke answer or messages by clickAnswers.ts. Only translation lives here.

import { InvokeResponse, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { SignInFlow } from '../auth/sso';
import { CardActionService } from '../domain/cardAction';
import { Click } from '../domain/click';
import { GovernanceService } from '../domain/governance';
import { Target } from '../domain/operations';
import { CardEditLog } from '../state/cardEditLog';
import { parseButtonData } from './cardActions';
import { CommandTurns, PendingCommand, actorFor } from './commandTurns';
import { cardPressSignedIn } from './cardPressSignIn';
import { ClickAnswers } from './clickAnswers';
import type { PressedCard } from './pressedCard';
import { HeldLines, endRefusedResent, resentPressRan } from './resentToken';
import { Later, Reply, ReplyCards } from './replies';
import { shownUserName, subjectOf } from './turnUser';
import type { ClickedCard } from './teamsEdge';
import { answeredElsewhere, mayGiveBackUntilWrite } from './turnMark';
import type { TurnDedup } from '../state/turnDedup';

export type Via = 'execute' | 'submit';

export interface CardClickDeps {
  readonly actions: Pick<CardActionService<unknown>, 'checked' | 'act' | 'settleCard' | 'now'>;
  readonly signIn: SignInFlow<PendingCommand>;
  readonly governance: GovernanceService;
  readonly cards: ReplyCards;
  readonly logger: Logger;
  readonly tenantId: string;
  readonly commands: CommandTurns;
  /** Runs work in a conversation after the turn (a write that outlived its click). */
  readonly later: Later;
  /** The newest edit of each card, shared by the instances (so their edits end on the newest). */
  readonly editLog: CardEditLog<Reply>;
  /** Updates the other posted copies of the item's card (other channels) once a click decided it
   * (`final`: settled, no buttons left; otherwise a stage decided, the buttons kept). */
  readonly copies?: { changed(target: Target, reply: Reply, final: boolean, clicked: ClickedCard): void } | null;
  /** The message turns' duplicate marks: whether a given-up press's redelivery has begun. */
  readonly turns?: Pick<TurnDedup, 'markedAgain'>;
}

export class CardClicks {
  /** How each outcome is shown (clickAnswers.ts). */
  private readonly answers: ClickAnswers;

  constructor(private readonly deps: CardClickDeps) {
    this.answers = new ClickAnswers(deps);
  }

  /** The invoke answer (execute), or undefined once messages were sent (submit). */
  async handle(ctx: TurnContext, data: unknown, via: Via): Promise<InvokeResponse | undefined> {
    const { actions } = this.deps;
    const arrivedAt = actions.now();
    const parsed = parseButtonData(data);
    if (!parsed.ok) return this.answers.refuse(ctx, via, parsed.problem);
    const user = subjectOf(ctx.activity, this.deps.tenantId);
    if (!user) return this.answers.refuse(ctx, via, 'The click did not say which Entra user made it.');
    const target = parsed.target;
    const cardId = ctx.activity.replyToId;
    const pressed: Click = {
      target,
      conversationId: ctx.activity.conversation?.id ?? '',
      cardActivityId: cardId,
      actor: actorFor(this.deps.signIn, user.aadObjectId),
      userName: shownUserName(ctx.activity.from?.name) ?? 'someone',
      audit: { via: `card.${via}`, activityId: cardId ?? null, userName: ctx.activity.from?.name ?? null },
      arrivedAt,
    };
    const ran = await resentPressRan(this.deps, ctx, via, user);
    if (ran) return ran;
    // Refused (`refused`), or a card that has its final word (`superseded`: edited for everyone
    // already): answered at once, audited, needing no token, so nothing is remembered for after a
    // sign-in to answer it again; a re-sent press ends the press its loginRequest remembered, its
    // line held until that is known to be the press's one (endRefusedResent).
    const held = new HeldLines();
    const { refused, click } = await actions.checked(pressed, held.hold);
    if (refused) {
      if (await endRefusedResent(this.deps, ctx, via, user, target, 'card.signIn.failed')) held.write();
      return this.answers.answer(ctx, via, click, refused);
    }

    const signedIn = await cardPressSignedIn(this.deps, ctx, via, user, click);
    if (signedIn !== true && signedIn !== undefined && 'failed' in signedIn)
      return this.answers.toClicker(ctx, via, this.answers.presserCard(via, click, signedIn.failed, true));
    if (signedIn !== true) return signedIn;
    return this.act(ctx, via, click);
  }

  /**
   * A press that waited for its presser's sign-in, resumed in its conversation once they signed in
   * (signInInvokes.ts): the click it was, on its card, through the card-action service as any
   * click (its claim, its write, the card edited for everyone, its final word kept, its one audit
   * line naming the card), answered with messages and edits since no invoke waits for it now.
   */
  async afterSignIn(
    ctx: TurnContext,
    pending: PendingCommand,
    target: Target,
    card: PressedCard,
    aad: string,
  ): Promise<void> {
    const pressed: Click = {
      target,
      conversationId: pending.reference.conversation?.id ?? '',
      cardActivityId: card.activityId,
      actor: actorFor(this.deps.signIn, aad),
      userName: shownUserName(pending.userName) ?? 'someone',
      audit: { via: `card.${card.via}`, activityId: card.activityId, userName: pending.userName ?? null },
      arrivedAt: this.deps.actions.now(),
    };
    const { refused, click } = await this.deps.actions.checked(pressed);
    if (refused?.kind === 'refused') await this.answers.refuse(ctx, 'submit', refused.message);
    else if (refused) await this.answers.answer(ctx, 'submit', click, refused);
    else await this.act(ctx, 'submit', click);
  }

  /** Acts on a click that may act (its card shows its item, without a final word) as the signed-in clicker. */
  private async act(ctx: TurnContext, via: Via, click: Click): Promise<InvokeResponse | undefined> {
    const reference = TurnContext.getConversationReference(ctx.activity);
    // An Action.Submit press (a message turn) reads Graph before it takes the item's claim: a stop
    // that cuts it meanwhile gives its duplicate mark back, so a redelivery acts elsewhere, and it
    // then takes no claim. It answers (nothing was sent) only while no redelivery has begun, as a
    // typed command does: Teams documents a retry of a slow turn, not of one whose connection a
    // stop dropped, and without it the press would be lost unsaid.
    const mayWrite = mayGiveBackUntilWrite(ctx);
    const acting = mayWrite ? { ...click, mayWrite } : click;
    const outcome = await this.deps.actions.act(acting, (late) => this.answers.late(reference, click, late));
    if (await answeredElsewhere(ctx, this.deps.turns)) {
      this.deps.logger.info({ event: 'bot.turn.givenUp' }, 'turn given up at shutdown; its redelivery answers');
      return undefined;
    }
    return this.answers.answer(ctx, via, click, outcome);
  }
}
