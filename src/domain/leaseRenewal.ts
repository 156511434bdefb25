// A click's claim is renewed while Graph works, so a live holder never loses it to a slow Graph.

import type { ClaimPort } from './cardActionPorts';
import type { Clock } from './clock';

/** Renews every `everyMs` until `stop`; stops on its own when the claim was lost (the fence decides
 * at the end) or a renewal failed (reported to `onError`). `everyMs` 0 turns renewal off. */
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
      return;
    }
  }
}
