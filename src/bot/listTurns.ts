// "my approvals" and "my requests": read the user's lists as them, post one card with a row per
// request, bind the card to the rows it shows, and act on a row's button through the same
// exactly-once card-action service as any other card, updating the list card in place.

import { ConversationReference, InvokeResponse, TurnContext } from 'botbuilder';
import { Click, tokenToForget } from '../domain/click';
import { pressRefused } from './commandStoreDown';
import { listCommandAgain } from './listWords';
import { notOwnersPress } from './listOwner';
import { rowClick, rowRefusal } from './listRowChecks';
import type { PressedCard } from './pressedCard';
import type { Target } from '../domain/operations';
import { endResentPage, pressSignedIn } from './listPressSignIn';
import { HeldLines, endRefusedResent, resentPressRan } from './resentToken';
import { noticeOf, rowSettledOf } from './listOutcomes';
import { errorStyle } from '../cards/outcomeWording';
import { needsGraph, pageRefusal, turnPage } from './listPages';
import { postList } from './listPost';
import { answerListPresser, postListAgain } from './listPresser';
import { ListName, WorkItem } from '../domain/myWork';
import type { ListSnapshot } from '../state/listCards';
import { parseRowButtonData } from './cardActions';
import { Made, SharedCardEdits } from './sharedCardEdits';
import { ListPageAsked, PendingCommand, actorFor } from './commandTurns';
import { cardError, cardReply } from './invokeResponses';
import { PAGE_SIZE, RowNotice, listCard, parseListData } from './listCards';
import { LIST_CHANGED, bindIfShown, keepBound } from './listRows';
import { Reply, sendReply } from './replies';
import { subjectOf } from './turnUser';
import type { ListDeps } from './listDeps';
import { givenUpAnswer, mayGiveBackUntilWrite, turnMarkOf } from './turnMark';

export type Via = 'execute' | 'submit';
export type { ListDeps, ListParts } from './listDeps';

/** The card for everyone made from the list as kept, ranked by its revision. */
const madeOf = (s: ListSnapshot<WorkItem>, now: number): Made => ({ reply: listCard(s, now), rank: s.revision ?? 0 });

export class ListTurns {
  private readonly now: () => number;
  /** The edits for everyone of each list card, in order across instances. */
  private readonly edits: SharedCardEdits;
  constructor(private readonly deps: ListDeps) {
    this.now = deps.now ?? Date.now;
    this.edits = new SharedCardEdits(deps.editLog, deps.logger);
  }

  /** The typed command: sign in (remembering the list) or fetch, post the card, bind its rows. */
  async command(ctx: TurnContext, list: ListName): Promise<void> {
    // A list only reads Graph: until its card is posted (or it is kept for after sign-in), a stop
    // that cuts it gives its duplicate mark back, so a redelivery posts the list elsewhere.
    turnMarkOf(ctx)?.mayGiveBack();
    return this.deps.commands.asSignedIn(ctx, list, (aad) => this.post(ctx, list, aad, true));
  }

  /** Reads the signed-in user's list as them, posts its card and binds its rows (listPost.ts). */
  post(ctx: TurnContext, list: ListName, aad: string, askAgain = false): Promise<void> {
    return postList(this.deps, ctx, list, aad, askAgain, this.now);
  }

  /**
   * A page button (More, Previous, First page): the page it names, from rows already read or from
   * Graph's next pages. Reading Graph needs the presser's token: without one, the press asks for
   * sign-in as a row's button does, and the page comes after it.
   */
  async more(ctx: TurnContext, via: Via, data: unknown): Promise<InvokeResponse | undefined> {
    const conversationId = ctx.activity.conversation?.id ?? '';
    const cardId = ctx.activity.replyToId;
    const user = subjectOf(ctx.activity, this.deps.tenantId);
    const current = cardId ? await this.deps.listCards.get(conversationId, cardId) : null;
    const asked = parseListData(data);
    const offset = asked?.offset ?? (current ? current.offset + PAGE_SIZE : null);
    const page = asked && cardId && offset !== null ? { list: current?.list ?? asked.list, cardId, offset } : null;
    // Answered here without a sign-in: a re-sent press ends the page its loginRequest remembered.
    const endResent = () => endResentPage(this.deps, ctx, via, user, page);
    const problem = pageRefusal(current, asked, data, user?.aadObjectId ?? null);
    if (problem !== null || !current || !user || !page) {
      await endResent();
      return this.refuse(ctx, via, problem ?? '');
    }
    if (needsGraph(current, page.offset)) {
      // The store failed: the card as it was, for the presser, saying why.
      const storeDown = (text: string) =>
        answerListPresser(this.deps.cards, ctx, via, () => listCard(current, this.now(), undefined, text), {
          target: null,
          text,
          retry: true,
        });
      const signedIn = await pressSignedIn(this.deps, ctx, via, user, page, { storeDown });
      if (signedIn !== true) return signedIn;
    } else await endResent();
    const turned = await turnPage(this.deps, current, page.offset, user.aadObjectId);
    if (!turned.ok) return this.refuse(ctx, via, turned.problem);
    const kept = await keepBound(this.deps, conversationId, page.cardId, turned.snapshot);
    return this.show(ctx, via, page.cardId, listCard(kept, this.now()), kept);
  }

  /** The page a button asked for before its presser signed in, in place of the card for everyone
   * (a new message when the card can no longer be edited). */
  async pageAfterSignIn(ctx: TurnContext, asked: ListPageAsked, aad: string): Promise<void> {
    const conversationId = ctx.activity.conversation?.id ?? '';
    const current = await this.deps.listCards.get(conversationId, asked.cardId);
    if (!current) {
      const tooOld = `This list is too old to page through. ${listCommandAgain(asked.list, 'new list')}`;
      return sendReply(ctx, this.deps.cards.info('That button did not work', tooOld));
    }
    // Only the owner's press asks for sign-in; a page remembered before is checked all the same.
    const notOwners = notOwnersPress(current, aad);
    if (notOwners) return sendReply(ctx, this.deps.cards.info('That button did not work', notOwners));
    const turned = await turnPage(this.deps, current, asked.offset, aad);
    if (!turned.ok) return sendReply(ctx, this.deps.cards.info('That button did not work', turned.problem));
    const kept = await keepBound(this.deps, conversationId, asked.cardId, turned.snapshot);
    await this.show(ctx, 'submit', asked.cardId, listCard(kept, this.now()), kept);
  }

  /** A row's button (Approve, Deny, Cancel) on a list card. */
  async click(ctx: TurnContext, data: unknown, via: Via): Promise<InvokeResponse | undefined> {
    const { actions, signIn, listCards } = this.deps;
    const arrivedAt = actions.now();
    const parsed = parseRowButtonData(data);
    if (!parsed.ok) return this.refuse(ctx, via, parsed.problem);
    const user = subjectOf(ctx.activity, this.deps.tenantId);
    if (!user) return this.refuse(ctx, via, 'The click did not say which Entra user made it.');
    const conversationId = ctx.activity.conversation?.id ?? '';
    const cardId = ctx.activity.replyToId;
    const ran = await resentPressRan(this.deps, ctx, via, user);
    if (ran) return ran;
    const kept = cardId ? await listCards.get(conversationId, cardId) : null;
    const actor = actorFor(signIn, user.aadObjectId);
    const press = {
      target: parsed.target,
      conversationId,
      cardId,
      actor,
      userName: ctx.activity.from?.name,
      via,
      arrivedAt,
    };
    const click = rowClick(press, kept);
    const list = (data as { list?: unknown } | null | undefined)?.list;
    const bind = (k: ListSnapshot<WorkItem>) => bindIfShown(this.deps, conversationId, cardId!, k, parsed.target);
    const held = new HeldLines();
    const problem = await rowRefusal(actions, click, kept, list, bind, held.hold);
    if (problem !== null || !cardId || !kept) {
      // Its refusal's audit line ends it, and the press a re-sent one's loginRequest remembered,
      // unless that one writes the line (endRefusedResent).
      if (await endRefusedResent(this.deps, ctx, via, user, parsed.target, 'list.signIn.failed')) held.write();
      if (problem === LIST_CHANGED && cardId && kept) return this.listChanged(ctx, via, cardId, kept);
      return this.refuse(ctx, via, problem ?? '');
    }
    // The store failed: only the presser sees why nothing changed; the row's buttons stay.
    const requestId = (parsed.target.ids.requestId ?? '').toLowerCase();
    const storeDown = (text: string) =>
      answerListPresser(this.deps.cards, ctx, via, () => listCard(kept, this.now(), { requestId, text }), {
        target: parsed.target,
        text,
        retry: true,
      });
    const refused = pressRefused(this.deps.governance, click);
    const signedIn = await pressSignedIn(this.deps, ctx, via, user, parsed.target, { refused, storeDown });
    if (signedIn !== true) return signedIn;
    return this.actOnRow(ctx, via, click, cardId, kept);
  }

  /** A row's press that waited for its presser's sign-in, resumed in its conversation after it
   * (signInInvokes.ts) as the click it was, through the card-action service as any row's click,
   * answered with messages and edits (no invoke waits for it now). */
  async rowAfterSignIn(c: TurnContext, p: PendingCommand, target: Target, card: PressedCard, aad: string) {
    const { actions, signIn, listCards } = this.deps;
    const conversationId = p.reference.conversation?.id ?? '';
    const kept = await listCards.get(conversationId, card.activityId);
    const press = { target, conversationId, cardId: card.activityId, userName: p.userName, via: card.via };
    const click = rowClick({ ...press, actor: actorFor(signIn, aad), arrivedAt: actions.now() }, kept);
    const bind = (k: ListSnapshot<WorkItem>) => bindIfShown(this.deps, conversationId, card.activityId, k, target);
    const problem = await rowRefusal(actions, click, kept, card.list, bind);
    if (problem === LIST_CHANGED && kept) await this.listChanged(c, 'submit', card.activityId, kept);
    else if (problem !== null || !kept) await this.refuse(c, 'submit', problem ?? '');
    else await this.actOnRow(c, 'submit', click, card.activityId, kept);
  }

  /** Acts on a row's click that may act, as the signed-in presser, and shows the outcome. */
  private async actOnRow(
    ctx: TurnContext,
    via: Via,
    click: Click,
    cardId: string,
    kept: ListSnapshot<WorkItem>,
  ): Promise<InvokeResponse | undefined> {
    const { actions, signIn, listCards } = this.deps;
    const { conversationId, target } = click;
    const requestId = (target.ids.requestId ?? '').toLowerCase();
    const reference = TurnContext.getConversationReference(ctx.activity);
    // An Action.Submit press, given up at shutdown before its claim, takes nothing; it says nothing
    // was sent only while no redelivery has begun (turnMark.ts givenUpAnswer), else shows nothing.
    const mayWrite = mayGiveBackUntilWrite(ctx);
    const outcome = await actions.act(mayWrite ? { ...click, mayWrite } : click, (late) => {
      // A refusal because the request finished meanwhile (another approver's 409) settles the row as
      // in time; any other late refusal leaves it, its card saying to press again if nothing changed.
      const final =
        late.kind === 'settled' || late.kind === 'progressed' || late.kind === 'failed'
          ? rowSettledOf(late, this.deps.cards, target)
          : null;
      // Graph answered after the click: the row's outcome is recorded in the card's line of edits,
      // so an edit of another row's click cannot be overtaken by this one's older list.
      if (final)
        this.editLater(reference, cardId, null, async () => {
          await listCards.settle(conversationId, cardId, requestId, final);
        });
    });
    if ((await givenUpAnswer(ctx, this.deps.turns, this.deps.logger)) === 'redelivered') return undefined;
    const snapshot = (await listCards.get(conversationId, cardId)) ?? kept;
    const settled = rowSettledOf(outcome, this.deps.cards, target);
    if (settled) {
      const s = (await listCards.settle(conversationId, cardId, requestId, settled)) ?? snapshot;
      return this.show(ctx, via, cardId, listCard(s, this.now()), s);
    }
    // Graph no longer accepts the token: forgotten, as for any card's button, so the press again
    // that the notice asks for signs in afresh rather than meeting the same 401.
    if (tokenToForget(outcome)) signIn.forgetToken(click.actor.aadObjectId);
    // Only the clicker sees why nothing changed; the buttons stay for a retry or for the others.
    const text = noticeOf(outcome, this.deps.cards, target, via === 'execute' ? 'row' : 'pressed card');
    const style = outcome.kind === 'failed' ? { style: errorStyle(outcome.error, target) } : {};
    const notice: RowNotice = { requestId, text, ...style };
    const retry = outcome.kind === 'failed';
    const card = () => listCard(snapshot, this.now(), notice);
    return answerListPresser(this.deps.cards, ctx, via, card, { target, text, retry, ...style });
  }

  /** A press on a row the list kept no longer shows: the list as kept, for the presser with a line
   * saying why nothing was done, and for everyone. */
  private async listChanged(ctx: TurnContext, via: Via, id: string, kept: ListSnapshot<WorkItem>) {
    if (via === 'execute') return this.show(ctx, via, id, listCard(kept, this.now(), undefined, LIST_CHANGED), kept);
    await this.edits.replaceMadeNow(ctx, id, madeOf(kept, this.now()));
    return this.refuse(ctx, via, LIST_CHANGED);
  }

  /** The card for the clicker (the invoke answer), and for everyone (the list as kept then,
   * `everyone`). */
  private async show(
    ctx: TurnContext,
    via: Via,
    cardId: string,
    reply: Reply,
    everyone: ListSnapshot<WorkItem>,
  ): Promise<InvokeResponse | undefined> {
    const made = madeOf(everyone, this.now());
    if (via === 'execute') {
      // The answer replaces the clicker's copy at once; the edit for everyone (15 s deadline of its
      // own) comes after it, so a click that spent its time on Graph still answers in Teams' wait.
      this.editLater(TurnContext.getConversationReference(ctx.activity), cardId, made);
      return cardReply(reply);
    }
    if (!(await this.edits.replaceMadeNow(ctx, cardId, made))) await postListAgain(this.deps, ctx, everyone, reply);
    return undefined;
  }

  /** Replaces the list card for everyone after the turn with the list as kept when the edit is
   * sent (`made` when none is kept, nothing when neither), ordered with every instance's edits of
   * the card by the list's revision: the last edit shows every row decided so far, whatever order
   * the clicks' edits start or land in. `before` runs first in line (a row's late outcome). */
  private editLater(
    reference: Partial<ConversationReference>,
    cardId: string,
    made: Made | null,
    before?: () => Promise<void>,
  ): void {
    const conversationId = reference.conversation?.id ?? '';
    this.edits.requestMade(this.deps.later, reference, cardId, {
      ...(before ? { before } : {}),
      make: async () => {
        const kept = await this.deps.listCards.get(conversationId, cardId);
        return kept ? madeOf(kept, this.now()) : made;
      },
    });
  }

  private async refuse(ctx: TurnContext, via: Via, problem: string): Promise<InvokeResponse | undefined> {
    if (via === 'execute') return cardError(400, 'BadRequest', problem);
    await sendReply(ctx, this.deps.cards.info('That button did not work', problem));
    return undefined;
  }
}
