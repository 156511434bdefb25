// A click's claim is renewed while Graph works, so a live holder never loses it to a slow Graph.

import type { ClaimPort } from './cardActionPorts';
import type { Clock } from './clock';

/** Renews every `everyMs` until `stop`; stops on its own only when the claim was lost (the fence
 * decides at the end). A renewal that failed (the store did not answer) is reported to `onError`
 * and tried again at the next tick: the claim is still this holder's, and giving up would let its
 * lease lapse while Graph still works, so another click could take it over and write a second
 * time. `everyMs` 0 turns renewal off. */
export async function renewWhileWorking<F>(
  claims: Pick<ClaimPort<F>, 'renew'>,
  clock: Clock,
  lease: { readonly key: string; readonly fence: F; readonly everyMs: number },
  stop: AbortSignal,
  onError: (e: unknown) => void,
): Promise<void> {
  if (lease.everyMs <= 0) return;
  while (!stop.aborted) {
    await clock.sleep(lease.everyMs, stop);
    if (stop.aborted) return;
    try {
      if (!(await claims.renew(lease.key, lease.fence))) return;
    } catch (e) {
      onError(e);
    }
  }
}
