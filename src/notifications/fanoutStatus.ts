// What GET /api/notifications/{eventId} says about an event posted in many channels: each
// channel's delivery, and one word for the whole.

export interface ChannelStatus {
  readonly teamId: string;
  readonly channelId: string;
  /** queued or sending (waiting its turn or retrying), delivered, deadLetter (with a reason). */
  readonly state: string;
  readonly attempts: number;
  readonly activityId?: string;
  readonly reason?: string;
}

/** queued while any channel is still waiting; delivered when every channel has the card;
 * undeliverable when none has it (or no channel is subscribed); partial otherwise. A fan-out
 * not planned yet is still queued (the caller reports the event's own record then). */
export function fanoutState(channels: readonly ChannelStatus[]): 'queued' | 'delivered' | 'partial' | 'undeliverable' {
  if (channels.some((c) => c.state === 'queued' || c.state === 'sending' || c.state === 'unknown')) return 'queued';
  const delivered = channels.filter((c) => c.state === 'delivered').length;
  if (delivered === 0) return 'undeliverable';
  return delivered === channels.length ? 'delivered' : 'partial';
}
