// An exception inside an invoke's handler: one error line naming a fresh reference, the answer
// Teams takes for that invoke (failedInvokeResponse, never a 5xx or a 501), and for a sign-in
// invoke, whose answer Teams shows nothing of, the error card as a message (failureToldAsMessage).
// Each of a user's Teams clients sends the same signin/tokenExchange ("If a user is signed into
// multiple Teams clients, the Bot could receive a signin/tokenExchange from each client. Each
// token exchange request for a specific user login will have an identical activity.value.id") and
// reports the same signin/failure: a failure that repeats for each gives one card, not one per
// client. Remembered in this instance's memory only (best effort, as the message itself is).
// https://learn.microsoft.com/en-us/javascript/api/botbuilder/teamsssotokenexchangemiddleware

import { randomUUID } from 'node:crypto';
import { InvokeResponse, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { INVOKE_FAILED_TITLE, failedInvokeResponse, failureToldAsMessage, invokeFailedText } from './invokeResponses';
import { Reply, sendReply } from './replies';

/** How long one sign-in's error card stands for the reports of the user's other clients. */
const TOLD_FOR_MS = 5 * 60_000;
/** Bounds the memory: the oldest marks go first. */
const MAX_TOLD = 1000;

export class InvokeFailures {
  private readonly told = new Map<string, number>();

  constructor(
    private readonly deps: {
      readonly logger: Logger;
      readonly cards: { info(title: string, text: string): Reply };
      readonly now?: () => number;
    },
  ) {}

  async answer(ctx: TurnContext, name: string | undefined, e: unknown): Promise<InvokeResponse> {
    const correlationId = randomUUID();
    this.deps.logger.error({ err: e, event: 'bot.invoke.failed', invoke: name, correlationId }, 'invoke failed');
    const card = this.deps.cards.info(INVOKE_FAILED_TITLE, invokeFailedText(correlationId));
    const mark = failureToldAsMessage(name, ctx.activity.conversation) ? this.first(ctx, name) : null;
    if (mark !== null) {
      // Best effort: the invoke is answered whether or not Teams takes the message; one it did not
      // take leaves a later client's report to tell it.
      await sendReply(ctx, card).catch((err: unknown) => {
        if (mark) this.told.delete(mark);
        this.deps.logger.warn({ err, event: 'bot.invoke.failedNotTold', correlationId }, 'error card not sent');
      });
    }
    return failedInvokeResponse(name, ctx.activity.value, correlationId, card);
  }

  /** Null when another client of this user reported this sign-in's failure lately, else the mark
   * of this report ('' for an invoke only one client sends). */
  private first(ctx: TurnContext, name: string | undefined): string | null {
    const value = (ctx.activity.value ?? {}) as { id?: unknown; code?: unknown };
    const sameFromEachClient =
      name === 'signin/tokenExchange' ? value.id : name === 'signin/failure' ? (value.code ?? '') : undefined;
    if (typeof sameFromEachClient !== 'string') return '';
    const who = ctx.activity.from?.aadObjectId ?? ctx.activity.from?.id ?? '';
    const key = JSON.stringify([name, who, ctx.activity.conversation?.id ?? '', sameFromEachClient]);
    const now = (this.deps.now ?? Date.now)();
    for (const [k, at] of this.told) if (at + TOLD_FOR_MS <= now) this.told.delete(k);
    const at = this.told.get(key);
    if (at !== undefined) return null;
    if (this.told.size >= MAX_TOLD) this.told.delete(this.told.keys().next().value as string);
    this.told.set(key, now);
    return key;
  }
}
