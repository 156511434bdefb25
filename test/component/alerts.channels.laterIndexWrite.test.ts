// A change of a channel's alert settings takes effect with the write of the channel's record: the
// category indexes are a superset that readers check against the records, and an index entry lost
// after that write is put back by the periodic pass (README "Fan-out"). So when the store fails an
// index write that comes after it (turning a category off; the second, confirming write of a
// category turned on), the change stands: it is audited ("Every change writes one line", README
// "Channel alerts") and the person is told it was made. It used to fail the turn: no audit line,
// "something went wrong" for a change that was made, and "it already was off" on the retry.

import { strict as assert } from 'node:assert';
import { indexKey } from '../../src/alerts/subscriptionRecords';
import { StateUnavailableError } from '../../src/state/port';
import { cardsOf } from './botRig';
import { CH_A } from './alertsRig';
import { channelAlertsSession } from './channelAlertsSession';

describe('channel alerts: an index write after the channel record fails', () => {
  const session = channelAlertsSession();
  const { owner, install, auditLines } = session;

  /** Every later write of `key` fails, as a store that is down for it would. */
  function failWritesOf(key: string): void {
    const records = session.a.rig.state.records as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const op of ['create', 'replace', 'put', 'delete']) {
      const original = records[op]!.bind(records);
      records[op] = (k: unknown, ...rest: unknown[]) =>
        k === key ? Promise.reject(new StateUnavailableError('state store: the write failed')) : original(k, ...rest);
    }
  }

  it('off: the channel no longer hears it, the change is audited and told', async () => {
    const { a } = session;
    await install();
    await a.say(owner(), CH_A, 'alerts on actions');
    failWritesOf(indexKey('actions'));

    const off = await a.say(owner(), CH_A, 'alerts off actions');
    assert.match(cardsOf(off.sent), /no longer hears/);
    assert.deepEqual(await a.alerts.subscriptions.channelsFor('actions'), []);
    const lines = auditLines('alerts.subscription').filter((l) => l.on === false);
    assert.deepEqual(
      lines.map((l) => [l.channelId, l.category, l.changed]),
      [[CH_A, 'actions', true]],
    );
  });
});
