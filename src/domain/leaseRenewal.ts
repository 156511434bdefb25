// A click's claim is renewed while Graph works, so a live holder never loses it to a slow Graph.

import type { ClaimPort } from './cardActionPorts';
import type { Clock } from './clock';

/** Renews every `everyMs` until `stop`; stops on its own only when the claim was lost (the fence
 * decides at the end). A renewal that failed (the store did not answer) is reported to `onError`
 * and tried again at the next tick: the claim is still this holder's, and giving up would let its
 * lease lapse while Graph still works, so another click could take it over and write a second
 * time. The ticks are counted from when each renewal started, not ended: one that failed only at
 * the store's deadline (10 s) must not push the next a whole interval later, past the lease (30 s
 * from the last one that held). Never two at once: a renewal slower than `everyMs` is followed at
 * once by the next. `everyMs` 0 turns renewal off. */
export async function renewWhileWorking<F>(
  claims: Pick<ClaimPort<F>, 'renew'>,
  clock: Clock,
  lease: { readonly key: string; readonly fence: F; readonly everyMs: number },
  stop: AbortSignal,
  onError: (e: unknown) => void,
): Promise<void> {
  if (lease.everyMs <= 0) return;
  let lastStarted = clock.now();
  while (!stop.aborted) {
    await clock.sleep(lastStarted + lease.everyMs - clock.now(), stop);
    if (stop.aborted) return;
    lastStarted = clock.now();
    try {
      if (!(await claims.renew(lease.key, lease.fence))) return;
    } catch (e) {
      onError(e);
    }
  }
}
