// A card button's press that Teams sends again with the presser's SSO token after the bot answered
// it with a loginRequest (Universal Actions: `value.authentication` = {id, connectionName, token},
// `id` that of the loginRequest's tokenExchangeResource). One home for every card's buttons: the
// notification cards' (cardClicks.ts) and the list cards' rows and page buttons (listPressSignIn.ts).
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/sso-adaptive-cards-universal-action

import { InvokeResponse, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { ResentTake } from '../auth/resentTake';
import type { SignInFlow } from '../auth/sso';
import type { Subject } from '../auth/tokenSubject';
import { SignInStoreError } from '../auth/signInStoreError';
import { loggedStoreFailure } from '../auth/signInStoreLog';
import { signInNext, signInTitle, storeDownWords } from '../cards/signInWording';
import type { HoldLine } from '../domain/cardAction';
import type { SignInRequiredError } from '../domain/errors';
import type { Target } from '../domain/operations';
import { StateUnavailableError } from '../state/port';
import type { ListPageAsked, PendingCommand } from './commandTurns';
import { messageReply, preconditionFailed } from './invokeResponses';
import type { ReplyCards } from './replies';

export interface ResentTokenDeps {
  readonly signIn: SignInFlow<PendingCommand>;
  readonly cards: Pick<ReplyCards, 'errorWords' | 'passwordResetPage'>;
  readonly logger: Logger;
}

/** A press whose sign-in another of the user's Teams clients, or the sign-in pages, completed first.
 * Its result is where its run put it: on its card, or in a message of its own (a card that could
 * not be edited; a press remembered by the previous release, which ran as a typed command). */
export const PRESS_RAN =
  'This press already ran when you signed in from another Teams window or device, so it was not run again. Its result is in this chat: on this card, or in a message of its own.';

/** A press whose earlier sending with the SSO token was answered without running (endRefusedResent). */
export const PRESS_ANSWERED = 'This press was already answered on its card; nothing was run.';

/**
 * For an Action.Execute press that carries `authentication`: null when it carries nothing to use
 * (the caller goes on as for any press: runs it with the token `held`, or asks for sign-in).
 * Otherwise, with the user's token held or the carried SSO token exchanged for it: true once the
 * sign-in that remembered this press is taken (resentTake.ts), so that only this press runs it;
 * an answer saying it already ran when another client's exchange or the sign-in pages ran it. An
 * SSO token that fails the exchange is answered 412 preconditionFailed, which the doc requires
 * ("must respond with an error or a second login request that doesn't include SSO information"):
 * Teams then shows the first loginRequest's Sign in button, whose page asks for what the failure
 * noted was missing, and the press stays remembered by that sign-in, ending with its one audit
 * line when it runs (contract §6). One whose loginRequest Teams does not name ends here
 * (`refused`, its audit line, when it is an operation).
 */
export async function resentWithToken(
  deps: ResentTokenDeps,
  ctx: TurnContext,
  via: 'execute' | 'submit',
  user: Subject,
  what: Target | ListPageAsked,
  held: boolean,
  event: string,
  refused?: (error: SignInRequiredError) => void,
): Promise<true | InvokeResponse | null> {
  const { signIn, logger } = deps;
  const auth = via === 'execute' ? authenticationOf(ctx.activity.value) : null;
  if (!auth) return null;
  if (!held) {
    if (!auth.token) return null;
    const accepted = await signIn.accept(user, auth.token);
    if (!accepted.ok) return notAccepted(deps, user, what, auth.id, accepted.error, event, refused);
  }
  if (!auth.id) return true;
  const taken = await takeNamed(signIn, ctx, auth.id, user, what);
  switch (taken.kind) {
    case 'taken':
    case 'none':
      return true;
    case 'ran':
      logger.info({ event: 'signin.press.ranAlready' }, 'a re-sent press whose sign-in ran already');
      return messageReply(PRESS_RAN);
    case 'answered':
      logger.info({ event: 'signin.press.answeredAlready' }, 'a re-sent press answered already');
      return messageReply(PRESS_ANSWERED);
    case 'failed':
      // Nothing taken, nothing run: its sign-in still remembers the press and runs it once.
      loggedStoreFailure(logger, event, taken.error);
      return preconditionFailed(wordsFor(deps, taken.error, what));
  }
}

/**
 * A re-sent press (it carries `authentication.id`, or the sign-in pages' `state`: rememberedBy)
 * that its checks answered without acting (a
 * card's binding or final word, a list row's checks), before it could sign in: that answer's audit
 * line ends it (contract §6: one line per command). So the press its loginRequest remembered ends
 * with it, taken silently as resentWithToken takes it (only this user's, only this press), lest the
 * periodic pass end it later with a second line or a late signin/failure offer a Sign in card for
 * it. A list's page button answered without signing in (refused, or its page no longer needs
 * Graph) ends the same way: its answer is the press's, and no later sign-in shows the page again.
 * Its mark says it was answered, not run: the same press again, or the sign-in pages, tell so.
 *
 * True when the refusal's line (held by the checks: HeldLines) is the press's one line: its
 * remembered press taken here, or none of this press waits. False when that remembered press
 * writes the line: it ran, or an earlier sending of it was answered, since the early look
 * (resentPressRan); or the state store failed, leaving it waiting (logged; the answer stands), for
 * its sign-in to run it or the periodic pass to end it with its line.
 */
export async function endRefusedResent(
  deps: Pick<ResentTokenDeps, 'signIn' | 'logger'>,
  ctx: TurnContext,
  via: 'execute' | 'submit',
  user: Subject,
  what: Target | ListPageAsked,
  event: string,
): Promise<boolean> {
  let id: string | null;
  try {
    id = await rememberedBy(deps, ctx, via, user);
  } catch (e) {
    if (!(e instanceof StateUnavailableError)) throw e;
    loggedStoreFailure(deps.logger, event, new SignInStoreError(e));
    return false;
  }
  if (!id) return true;
  const taken = await takeNamed(deps.signIn, ctx, id, user, what, true);
  if (taken.kind === 'failed') loggedStoreFailure(deps.logger, event, taken.error);
  return taken.kind === 'taken' || taken.kind === 'none';
}

/** The audit lines of a press's checks (HoldLine), written once endRefusedResent says they are its
 * one line, and otherwise never. */
export class HeldLines {
  private readonly lines: Array<() => void> = [];
  readonly hold: HoldLine = (write) => void this.lines.push(write);

  write(): void {
    for (const line of this.lines.splice(0)) line();
  }
}

/** Takes the user's waiting sign-in `id` when it remembers this press, in this conversation: to
 * run, or (`answered`) to end with the answer the press got. */
function takeNamed(
  signIn: SignInFlow<PendingCommand>,
  ctx: TurnContext,
  id: string,
  user: Subject,
  what: Target | ListPageAsked,
  answered = false,
): Promise<ResentTake> {
  const here = ctx.activity.conversation?.id;
  return signIn.takeResent(id, user, (p) => samePress(p, what, here), here, answered);
}

/**
 * The answer for a re-sent press whose remembered press already ran (another client's exchange of
 * its loginRequest, or the sign-in pages), or null. Asked before anything else of the press, so it
 * is not read, refused or audited again (contract §6: one line per command). A ran sign-in never
 * waits again; take() (resentWithToken) still decides for one that waits now. So for a press re-sent
 * with the sign-in pages' `state` (resentPress.ts), whose sign-in its state names: the state is
 * left unused then, and its verify (resentWithState) still decides for a sign-in that waits.
 */
export async function resentPressRan(
  deps: Pick<ResentTokenDeps, 'signIn' | 'logger'>,
  ctx: TurnContext,
  via: 'execute' | 'submit',
  user: Subject,
): Promise<InvokeResponse | null> {
  const id = await rememberedBy(deps, ctx, via, user);
  const ended = id ? await deps.signIn.pressRan(id, user) : null;
  return ended === null ? null : pressEnded(deps, ended);
}

/**
 * The user's sign-in that remembered a re-sent press: the one its `authentication.id` names (the
 * single sign-on re-send), or the one its sign-in pages' `state` names, the state left unused (its
 * verify, resentPress.ts, still decides for a sign-in that waits). Null for a press sent the first
 * time, or a state the bot cannot use.
 */
async function rememberedBy(
  deps: Pick<ResentTokenDeps, 'signIn'>,
  ctx: TurnContext,
  via: 'execute' | 'submit',
  user: Subject,
): Promise<string | null> {
  if (via !== 'execute') return null;
  const id = authenticationOf(ctx.activity.value)?.id;
  if (id) return id;
  const state = (ctx.activity.value as { state?: unknown } | null | undefined)?.state;
  return typeof state === 'string' && state !== '' ? deps.signIn.stateSignIn(state, user) : null;
}

/** The answer to a re-sent press whose remembered press ran, or was answered without running. */
export function pressEnded(deps: Pick<ResentTokenDeps, 'logger'>, ended: 'ran' | 'answered'): InvokeResponse {
  if (ended === 'answered') {
    deps.logger.info({ event: 'signin.press.answeredAlready' }, 'a re-sent press answered already');
    return messageReply(PRESS_ANSWERED);
  }
  deps.logger.info({ event: 'signin.press.ranAlready' }, 'a re-sent press whose sign-in ran already');
  return messageReply(PRESS_RAN);
}

async function notAccepted(
  deps: ResentTokenDeps,
  user: Subject,
  what: Target | ListPageAsked,
  id: string | null,
  error: SignInRequiredError,
  event: string,
  refused?: (error: SignInRequiredError) => void,
): Promise<InvokeResponse> {
  loggedStoreFailure(deps.logger, event, error);
  // The start page of the sign-in Teams now offers asks for what was missing (consent, MFA).
  if (id) await noteWhy(deps, id, user, error, event);
  else refused?.(error);
  return preconditionFailed(wordsFor(deps, error, what));
}

/**
 * Notes why the exchange failed, for the start page. A state store that fails here changes nothing
 * of the answer: the press is still answered 412 with the same words, so that Teams shows the Sign
 * in button (a turn error would leave the presser without it); its start page, not told the reason,
 * then asks for a plain sign-in. Logged as the store's failure.
 */
async function noteWhy(
  deps: ResentTokenDeps,
  id: string,
  user: Subject,
  error: SignInRequiredError,
  event: string,
): Promise<void> {
  try {
    await deps.signIn.noteFailure(id, user.aadObjectId, error);
  } catch (e) {
    if (!(e instanceof StateUnavailableError)) throw e;
    loggedStoreFailure(deps.logger, event, new SignInStoreError(e));
  }
}

/** What the presser reads with the 412 (or on the card): a row's or item's words, or a list page's. */
export function wordsFor(
  deps: Pick<ResentTokenDeps, 'cards'>,
  error: SignInRequiredError,
  what: Target | ListPageAsked,
): string {
  if ('operation' in what) return deps.cards.errorWords(error, what);
  if (error.reason === 'stateUnavailable') {
    const w = storeDownWords(error, 'button');
    return `${w.title}. ${w.what} ${w.next}`;
  }
  return `${signInTitle(error)}. Governance Bot could not get a token to read this list as you. ${signInNext(error, 'button', deps.cards.passwordResetPage)}`;
}

/** Whether the press is one Teams re-sent after a loginRequest that remembered it (it names that
 * sign-in): that remembered press, not this sending, writes its one audit line when it ends. */
export function namesRememberedPress(ctx: TurnContext, via: 'execute' | 'submit'): boolean {
  return via === 'execute' && (authenticationOf(ctx.activity.value)?.id ?? null) !== null;
}

/** The `authentication` Teams adds to a re-sent press; null when it carries neither id nor token. */
function authenticationOf(value: unknown): { id: string | null; token: string | null } | null {
  const auth = (value as { authentication?: { id?: unknown; token?: unknown } } | null | undefined)?.authentication;
  const id = typeof auth?.id === 'string' && auth.id !== '' ? auth.id : null;
  const token = typeof auth?.token === 'string' && auth.token !== '' ? auth.token : null;
  return id || token ? { id, token } : null;
}

/** Whether a remembered command is this press, in this conversation (the id comes from the client). */
function samePress(payload: PendingCommand, what: Target | ListPageAsked, here: string | undefined): boolean {
  if (payload.pressed !== true || payload.reference.conversation?.id !== here) return false;
  if (!('operation' in what)) {
    return payload.list === what.list && payload.page?.cardId === what.cardId && payload.page.offset === what.offset;
  }
  const t = payload.target;
  return t !== undefined && t.operation === what.operation && t.decision === what.decision && sameIds(t.ids, what.ids);
}

function sameIds(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k]?.toLowerCase() === b[k]?.toLowerCase());
}
