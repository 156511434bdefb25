// A reminder counted in the digest once even across midnight: a pass that sent and counted a
// reminder just before midnight (UTC) and died before marking it reminded sends it again on the
// next pass, after midnight. The count made once under its key (DigestLog.count) is kept per day,
// so the second count, on the new day, went into the next day's digest too: one reminder counted
// in two digests. A reminder counts on the day it became due (4 hours before the approval lapses,
// so always before that day's digest goes out).

import { strict as assert } from 'node:assert';
import { HOUR, periodicAlerts } from '../fixtures/periodicAlerts';

const MINUTE = 60_000;

describe('alerts: a reminder sent again after midnight', () => {
  const rig = periodicAlerts('govbot-alerts-reminder-midnight-');
  const { world, announce } = rig;

  it('is counted once, on the day it became due', async () => {
    const id = '11111111-1111-4111-8111-111111111111';
    // Announced at 03:55 UTC: it lapses 24 h later, so it is due at 23:55 the same day.
    world.clock += 2 * HOUR + 55 * MINUTE;
    await announce('pim-1', id);
    world.clock += 20 * HOUR + 2 * MINUTE; // 23:57
    const periodic = rig.alerts.periodic!;
    assert.equal(await periodic.remind(), 1);
    // The mark never made it (the process died between the count and the mark).
    assert.equal(await rig.state.records.delete(`alerts:reminded:roleRequest:${id}`), true);
    world.clock += 5 * MINUTE; // 00:02 the next day
    assert.equal(await periodic.remind(), 1, 'sent again: the pass cannot know it was');
    const before = (await rig.alerts.digest.read('2025-06-02')).day.counts.approvals?.reminded ?? 0;
    const after = (await rig.alerts.digest.read('2025-06-03')).day.counts.approvals?.reminded ?? 0;
    assert.deepEqual({ before, after }, { before: 1, after: 0 });
  });
});
