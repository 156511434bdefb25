// The card of a notification event posted later than it was rendered: a category's alert is
// rendered once, when it is published, and each channel's post follows in its own time (pacing,
// retries, an outage). An approval whose moment comes in between (an access package's stated one, a
// PIM request's 24 h) was over then, so the post needs the card of that moment: both are rendered at publishing,
// and each send takes the one its own moment calls for (alertCardAt).

import { approvalMomentOf } from './approvalMoment';
import { OutboundCard } from './delivery';
import { NotificationEvent } from './events';

export interface TimedCard {
  /** The card as it is at the publishing. */
  readonly card: OutboundCard;
  /** The card from `at` (epoch ms) on: the approval's moment, when it is still ahead; null when
   * there is none to post (no moment stated, or it already passed: `card` says so). Always given,
   * so the alert stored with it tells an earlier release's alert (none) from one without. */
  readonly ended: { readonly at: number; readonly card: OutboundCard } | null;
}

export type RenderEvent = (event: NotificationEvent, now: number) => OutboundCard;

export function timedCard(render: RenderEvent, event: NotificationEvent, now: number): TimedCard {
  const card = render(event, now);
  const at = approvalMomentOf(event);
  // Rendered as at its moment, the card says the approval ended then (eventCard).
  return { card, ended: at !== undefined && at > now ? { at, card: render(event, at) } : null };
}
