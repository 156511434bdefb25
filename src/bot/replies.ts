// Reply sending has one home: a card with its one-line summary (contract §6), sent in the turn,
// replaced in place for everyone, and the typing indicator while Graph works.

import { Activity, ActivityTypes, Attachment, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { DomainError, SignInRequiredError } from '../domain/errors';
import { Outcome } from '../domain/governance';
import { Target } from '../domain/operations';

/** A card ready to send, with the one-line summary contract §6 asks for. */
export interface Reply {
  readonly attachment: Attachment;
  readonly summary: string;
}

export type NoticeStyle = 'good' | 'attention' | 'warning' | 'emphasis';

/** The card vocabulary the handler needs; built from templates in cards/. */
export interface ReplyCards {
  help(): Reply;
  usage(problem: string, usage: string): Reply;
  outcome(outcome: Outcome, actorName: string | undefined): Reply;
  info(title: string, text: string): Reply;
  signInProblem(error: SignInRequiredError, target: Target | null): Reply;
  /** A card about one item: with buttons while actionable, without once settled. */
  item(target: Target, view: { text: string; notice?: string; noticeStyle?: NoticeStyle; settled: boolean }): Reply;
  /** Plain words for an error, for a notice on an item card. */
  errorWords(error: DomainError, target: Target): string;
}

export const SIGN_IN_SUMMARY = 'Sign in to Governance Bot to continue';

export function asActivity(reply: Reply): Partial<Activity> {
  return { type: ActivityTypes.Message, attachments: [reply.attachment], summary: reply.summary };
}

export async function sendReply(ctx: TurnContext, reply: Reply): Promise<void> {
  await ctx.sendActivity(asActivity(reply));
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

/** Runs `work` with the typing indicator on, renewed every `everyMs`, and off before returning. */
export async function withTyping<T>(
  ctx: TurnContext,
  everyMs: number,
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
  // The indicator goes out alongside the Graph call, not before it: it must not add a round trip.
  const sends = [typing()];
  const timer = setInterval(() => sends.push(typing()), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    // Nothing may touch the turn after it ends: wait for indicators still in flight.
    await Promise.all(sends);
  }
}
