// When may a direct notification (a user's chat, a channel's new thread: worker.ts) be sent? Teams
// limits what a bot sends per thread (7 per 1 s, 8 per 2 s, 60 per 30 s, 1,800 per hour) and per
// tenant (30 per second): https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit.
// With the shared send scheduler (alerts/rateLimits.ts, its windows held in the state every
// instance uses) the slot is taken as channel alerts take theirs (scheduledSlot.ts), and a 429 holds
// the conversation for every instance until its Retry-After (without one, for the row's backoff).
// Without it (tests, configurations without alerts), the per-process ConversationPacer paces each
// conversation in this process only.

import { SendScheduler } from '../alerts/rateLimits';
import type { StoredReference } from '../state/references';
import { classifySendError } from './delivery';
import { ConversationPacer } from './pacer';
import { holdOnThrottle, ScheduledSlot, waitForSlot } from './scheduledSlot';

export interface SharedPacing {
  readonly scheduler: SendScheduler;
  /** The tenant of references that name none. */
  readonly tenantId: string;
}

/** A slot the send may use now (`release` gives it back unused; `failed` reads the send's error
 * and holds the conversation on a 429: until its Retry-After, or without one for `backoffMs`, the
 * row's own retry delay, as a channel alert's 429 holds its channel), or how long the row must
 * wait before asking again. */
export type Slot =
  | { readonly kind: 'go'; release(): Promise<void>; failed(error: unknown, backoffMs: number): Promise<void> }
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
      const now = this.now();
      const wait = this.pacer.reserve(conversationId, now);
      if (wait > 0) return { kind: 'wait', ms: wait };
      return { kind: 'go', release: async () => this.pacer.release(conversationId, now), failed: async () => {} };
    }
    const { scheduler } = this.shared;
    const tenantId = reference.conversation?.tenantId ?? this.shared.tenantId;
    let slot: ScheduledSlot;
    try {
      slot = await waitForSlot(scheduler, tenantId, conversationId, { now: this.now, stop, maxWaitMs: MAX_WAIT_MS });
    } catch (e) {
      // Shutdown: the row goes back for the next instance. Anything else (the scheduler's store
      // failing) fails the pass, logged, and the row comes back after its lease: given back due at
      // once, it would be leased again and again against that store, unlogged.
      if (stop.aborted) return { kind: 'wait', ms: 0 };
      throw e;
    }
    if (slot.kind === 'later') return { kind: 'wait', ms: slot.ms };
    const { at } = slot;
    const release = () => scheduler.release(tenantId, conversationId, at);
    const failed = (error: unknown, backoffMs: number): Promise<void> =>
      holdOnThrottle(scheduler, tenantId, conversationId, classifySendError(error, this.now()), this.now(), backoffMs);
    return { kind: 'go', release, failed };
  }
}
