// Reply sending has one home: a card with its one-line summary (contract §6), sent in the turn,
// replaced in place for everyone, and the typing indicator while Graph works.

import { Activity, ActivityTypes, Attachment, ConversationReference, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { AskedBy } from '../cards/signInWording';
import type { CardAbout } from '../domain/cardActionPorts';
import { Clock, beforeDeadline } from '../domain/clock';
import { DomainError, SignInRequiredError } from '../domain/errors';
import { Outcome } from '../domain/governance';
import { Target } from '../domain/operations';

/** A card ready to send, with the one-line summary contract §6 asks for. */
/** Runs work in a conversation after the turn (a write that outlived its click, an edit for
 * everyone after an invoke's answer): the handler's, so that shutdown waits for it. The promise
 * settles, never rejecting, once the background turn is over, whether or not `logic` ran. */
export type Later = (
  reference: Partial<ConversationReference>,
  logic: (ctx: TurnContext) => Promise<void>,
) => Promise<void>;

export interface Reply {
  readonly attachment: Attachment;
  readonly summary: string;
}

export type NoticeStyle = 'good' | 'attention' | 'warning' | 'emphasis';

/** The card vocabulary the handler needs; built from templates in cards/. */
export interface ReplyCards {
  /** Where an expired password is changed in the bot's cloud (PASSWORD_RESET_PAGES); null: none known. */
  readonly passwordResetPage: string | null;
  help(): Reply;
  /** A refusal of typed words (commands.ts): its `heading` when the command was understood (by
   * default it was not). `help`: how to ask for the help card in the turn's conversation
   * (personalChat.ts askForHelp). */
  usage(bad: { problem: string; brief?: string; usage: string; heading?: string }, help: string): Reply;
  outcome(outcome: Outcome, actorName: string | undefined): Reply;
  info(title: string, text: string): Reply;
  /** `by`: whether the person typed a command or pressed a button (what they do again). */
  /** `graphRefused`: the command was sent once and Graph refused its token (401), so the card does
   * not say nothing was sent. */
  signInProblem(error: SignInRequiredError, target: Target | null, by?: AskedBy, graphRefused?: boolean): Reply;
  /** A card about one item: with buttons while actionable, without once settled. */
  item(
    target: Target,
    view: { text: string; notice?: string; noticeStyle?: NoticeStyle; settled: boolean; about?: CardAbout },
  ): Reply;
  /** Plain words for an error, for a notice on the card whose button was pressed. */
  errorWords(error: DomainError, target: Target): string;
}

const SIGN_IN_SUMMARY = 'Sign in to Governance Bot to continue';

export function asActivity(reply: Reply): Partial<Activity> {
  return { type: ActivityTypes.Message, attachments: [reply.attachment], summary: reply.summary };
}

/**
 * An answer Teams did not take. The work it reports (a cancel, a decision, a saved setting) was
 * done or refused before it was sent, so the turn's error handler must tell the person what the
 * answer said, never that nothing happened.
 */
export class AnswerNotSentError extends Error {
  constructor(
    readonly reply: Reply,
    options: { cause: unknown },
  ) {
    super('the answer could not be sent', options);
    this.name = 'AnswerNotSentError';
  }
}

export async function sendReply(ctx: TurnContext, reply: Reply): Promise<void> {
  try {
    await ctx.sendActivity(asActivity(reply));
  } catch (e) {
    throw new AnswerNotSentError(reply, { cause: e });
  }
}

/** The one line said instead of an answer Teams did not take. When the send only timed out, Teams
 * may have shown the card after all; the line then repeats it, which is better than silence. */
export function answerNotSentText(reply: Reply): string {
  const line = /[.!?…]$/.test(reply.summary) ? reply.summary : `${reply.summary}.`;
  return `${line} (The full answer could not be shown.)`;
}

/** Sends an OAuth card (sign-in) with its summary. */
export async function sendSignInCard(ctx: TurnContext, card: Attachment): Promise<void> {
  await ctx.sendActivity({ type: ActivityTypes.Message, attachments: [card], summary: SIGN_IN_SUMMARY });
}

/** Replaces the message `activityId` for everyone in the conversation; false when Teams refused. */
export async function replaceCard(
  ctx: TurnContext,
  activityId: string,
  reply: Reply,
  logger: Logger,
): Promise<boolean> {
  try {
    await ctx.updateActivity({ ...asActivity(reply), id: activityId });
    return true;
  } catch (e) {
    logger.warn({ err: e, event: 'card.update.failed' }, 'could not update the card for everyone');
    return false;
  }
}

/** When the typing indicator goes out while Graph works. */
export interface TypingTiming {
  /** The first indicator waits this long: a turn answered sooner needs none, and sends one
   * connector call (its reply) instead of two. */
  readonly afterMs: number;
  /** Then it is renewed this often (Teams shows it for a few seconds). */
  readonly everyMs: number;
  readonly clock: Clock;
}

/** Typing shows once Graph has taken longer than a person notices (about half a second). */
export const TYPING_AFTER_MS = 400;
export const TYPING_EVERY_MS = 3000;
/** The longest the reply waits for an indicator still in flight: about one connector round trip
 * (an indicator is sent once, never again after a 429), never the connector's whole deadline. */
export const TYPING_SETTLE_MS = 1000;
const TURN_ENDED = 'the work ended';

/**
 * Runs `work`; if it is still running after `afterMs`, the typing indicator goes out and is
 * renewed every `everyMs` until it ends. An indicator still in flight when the work ends is waited
 * for, up to `TYPING_SETTLE_MS` on the clock: a typing activity that reached Teams after the reply
 * would show "typing" for about 3 s after the answer (Activity spec, Typing activity). A slow,
 * failed or throttled one holds the reply no longer than that bound, and it is never sent again
 * after a 429 (connectorRetry.ts).
 * https://github.com/microsoft/botframework-sdk/blob/main/specs/botframework-activity/botframework-activity.md#typing-activity
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
 */
export async function withTyping<T>(
  ctx: TurnContext,
  timing: TypingTiming,
  logger: Logger,
  work: () => Promise<T>,
): Promise<T> {
  const typing = async (): Promise<void> => {
    try {
      await ctx.sendActivity({ type: ActivityTypes.Typing });
    } catch (e) {
      logger.debug({ err: e }, 'typing indicator not sent');
    }
  };
  const done = new AbortController();
  const inFlight = new Set<Promise<void>>();
  // The indicator goes out beside the Graph call, never before it: it must not add a round trip.
  const indicator = (async () => {
    for (let wait = timing.afterMs; ; wait = timing.everyMs) {
      await timing.clock.sleep(wait, done.signal);
      if (done.signal.aborted) return;
      // Not awaited here (the renewals go on while Graph works); typing() never rejects.
      const sending = typing().finally(() => inFlight.delete(sending));
      inFlight.add(sending);
    }
  })();
  try {
    return await work();
  } finally {
    // A fixed reason: abort() without one builds a DOMException with a stack on every turn.
    done.abort(TURN_ENDED);
    await indicator;
    // The reply must not overtake its own indicator, but a hung one is not waited for past the
    // bound; it may then finish after the turn (botbuilder revokes the context: what touches it
    // throws, and typing() logs that at debug level).
    if (inFlight.size > 0) {
      const settled = await beforeDeadline(timing.clock, timing.clock.now() + TYPING_SETTLE_MS, Promise.all(inFlight));
      if (!settled.inTime) logger.debug('typing indicator still in flight; the reply goes out');
    }
  }
}
