// Rendering a card under a send claim: when rendering throws (a fault of the bot, not an answer
// from Teams), the slot (a direct send's) and the claim are given back, best effort (an unclaimed
// claim expires), and the error goes on up.

import { Held } from './sendClaim';
import { NotificationStore } from './store';

export async function renderOrGiveBack<T>(
  store: NotificationStore,
  held: Held,
  render: () => T,
  slot?: { release(): Promise<void> },
): Promise<T> {
  try {
    return render();
  } catch (e) {
    await slot?.release().catch(() => undefined);
    await store.unclaim(held.record.event.eventId, held.holder).catch(() => undefined);
    throw e;
  }
}
