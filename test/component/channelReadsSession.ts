// A channel alerts session whose store counts the reads of one channel's settings record: for the
// tests that pin how often a change of the channel's settings reads it.

import { channelKey } from '../../src/alerts/subscriptionRecords';
import { channelAlertsSession } from './channelAlertsSession';

export function channelReadsSession(channelId: string) {
  const counted = { reads: 0 };
  const session = channelAlertsSession({
    alertRecords: (records) => ({
      ...records,
      get: (k) => {
        if (k === channelKey(channelId)) counted.reads += 1;
        return records.get(k);
      },
    }),
  });
  return { session, counted };
}
