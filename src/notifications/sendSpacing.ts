// How far apart the alert sends of one tenant go: the send scheduler every instance shares (its
// windows are records on the state port), over Teams' per-tenant limits plus an even spacing.

import { RecordsLogStore, SendScheduler, TENANT_LIMITS } from '../alerts/rateLimits';
import type { RateWindow } from '../alerts/windowLog';
import { Records } from '../state/port';

/** The distance kept between sends that share a window: what a send may arrive late (a busy event
 * loop, the network) without Teams counting it in the window of a later one. */
export const MARGIN_MS = 20;

/** The tenant's windows plus one that spaces its sends evenly (30 per second: one every 33 ms).
 * Without it a window's whole allowance may be reserved for one moment, and 30 sends leaving
 * together reach Teams spread over more than the margin, so the first of the next burst is
 * counted with the last of this one and refused. */
function evenlySpaced(windows: readonly RateWindow[], marginMs: number): RateWindow[] {
  const tightest = Math.min(...windows.map((w) => w.windowMs / w.limit));
  return [...windows, { limit: 1, windowMs: Math.max(1, Math.ceil(tightest) - marginMs) }];
}

/** The scheduler over `records`; `marginMs` defaults to MARGIN_MS. */
export function sharedSendScheduler(records: Records, now: () => number, marginMs: number = MARGIN_MS): SendScheduler {
  return new SendScheduler({
    store: new RecordsLogStore(records),
    now,
    marginMs,
    tenantLimits: evenlySpaced(TENANT_LIMITS, marginMs),
  });
}
