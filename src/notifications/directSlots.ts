// When may a direct notification (a user's chat, a channel's new thread: worker.ts) be sent? Teams
// limits what a bot sends per thread (7 per 1 s, 8 per 2 s, 60 per 30 s, 1,800 per hour) and per
// tenant (30 per second): https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit.
// With the shared send scheduler (alerts/rateLimits.ts, its windows held in the state every
// instance uses) the slot is the same one channel alerts take, and a 429 holds the conversation for
// every instance until its Retry-After. Without it (tests, configurations without alerts), the
// per-process ConversationPacer paces each conversation in this process only.

import { SendScheduler } from '../alerts/rateLimits';
import type { StoredReference } from '../state/references';
import { classifySendError } from './delivery';
import { ConversationPacer } from './pacer';
import { sleepUntil } from './sleepUntil';

export interface SharedPacing {
  readonly scheduler: SendScheduler;
  /** The tenant of references that name none. */
  readonly tenantId: string;
}

/** A slot the send may use now (`release` gives it back unused; `failed` reads the send's error
 * and holds the conversation on a 429), or how long the row must wait before asking again. */
export type Slot =
  | { readonly kind: 'go'; release(): Promise<void>; failed(error: unknown): Promise<void> }
  | { readonly kind: 'wait'; readonly ms: number };

/** A slot due within this is waited for here; a later one is given back with the row. */
const MAX_WAIT_MS = 2_000;

export class DirectSendSlots {
  private readonly pacer: ConversationPacer;

  constructor(
    private readonly shared: SharedPacing | undefined,
    pacer: ConversationPacer | null,
    private readonly now: () => number,
  ) {
    this.pacer = pacer ?? new ConversationPacer();
  }

  /** Reserves the send's moment and waits for it, or says how long to wait (nothing reserved). */
  async take(reference: StoredReference, conversationId: string, stop: AbortSignal): Promise<Slot> {
    if (!this.shared) {
      const wait = this.pacer.reserve(conversationId, this.now());
      return wait > 0 ? { kind: 'wait', ms: wait } : { kind: 'go', release: async () => {}, failed: async () => {} };
    }
    const { scheduler } = this.shared;
    const tenantId = reference.conversation?.tenantId ?? this.shared.tenantId;
    const at = await scheduler.reserve(tenantId, conversationId);
    const release = () => scheduler.release(tenantId, conversationId, at);
    if (at - this.now() > MAX_WAIT_MS) {
      // Far from its turn: the row waits in the outbox, not in this process.
      await release();
      return { kind: 'wait', ms: at - this.now() };
    }
    try {
      await sleepUntil(at, this.now, stop);
    } catch {
      await release(); // shutdown: the row goes back for the next instance
      return { kind: 'wait', ms: 0 };
    }
    // Woken much later than the moment (a busy process): sending now could break a window.
    if (this.now() - at > Math.max(2 * scheduler.marginMs, 10)) {
      await release();
      return { kind: 'wait', ms: 0 };
    }
    const failed = async (error: unknown): Promise<void> => {
      const failure = classifySendError(error, this.now());
      // Teams says this conversation is over its limit: no instance sends there before Retry-After.
      if (failure.kind === 'retry' && failure.status === 429 && failure.afterMs !== null) {
        await scheduler.hold(tenantId, conversationId, this.now() + failure.afterMs);
      }
    };
    return { kind: 'go', release, failed };
  }
}
