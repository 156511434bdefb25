// The line logged when a channel alert's fan-out row is set aside after failing on every pass
// (poisonAlertRow.ts) says what was written: channels dead-lettered, the event made undeliverable,
// or nothing (every planned channel had its delivery already, or no open event record is left). It said
// "the channels it did not reach are dead-lettered" in every case, also when nothing was written.

import { strict as assert } from 'node:assert';
import { FANOUT_ROW } from '../../src/alerts/alertStore';
import { AlertPoisonContext, deadLetterAlertRow } from '../../src/notifications/poisonAlertRow';
import { recordingLogger } from '../fixtures/recordingLogger';

const row = { id: 'r1', payload: { eventId: `${FANOUT_ROW}ev` }, attempts: 20, receipt: 'x' };

/** Sets the fan-out row aside with `abandon` answering `channels` and `unplanned` answering
 * `settled`; the dead-letter line logged. */
async function lineFor(channels: number | null, settled: boolean): Promise<Record<string, unknown>> {
  const log = recordingLogger();
  let completed = 0;
  const ctx: AlertPoisonContext = {
    ledger: { get: async () => null, giveUp: async () => 'given' },
    plans: { abandon: async () => channels },
    alerts: { get: async () => null },
    outbox: { complete: async () => ++completed > 0 },
    logger: log.logger,
    unplanned: async () => settled,
    posted: () => false,
  };
  await deadLetterAlertRow(ctx, row, new TypeError('unexpected'), undefined);
  assert.equal(completed, 1, 'the row is removed');
  const lines = log.lines.filter((l) => l.event === 'alerts.deadLetter');
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.level, 'error');
  return lines[0]!;
}

describe('alerts: the line of a fan-out row set aside', () => {
  it('names the channels dead-lettered when there were some', async () => {
    const line = await lineFor(2, false);
    assert.deepEqual([line.planned, line.settled, line.deadLetteredChannels], [true, true, 2]);
    assert.match(String(line.msg), /2 planned channels? it had not reached (are|is) dead-lettered/);
  });

  it('says nothing was dead-lettered when every planned channel had its delivery', async () => {
    const line = await lineFor(0, false);
    assert.deepEqual([line.planned, line.settled, line.deadLetteredChannels], [true, false, 0]);
    assert.doesNotMatch(String(line.msg), /are dead-lettered/);
    assert.match(String(line.msg), /nothing dead-lettered/);
  });

  it('says the event is undeliverable when no channel was planned', async () => {
    const line = await lineFor(null, true);
    assert.deepEqual([line.planned, line.settled], [false, true]);
    assert.doesNotMatch(String(line.msg), /dead-lettered/);
    assert.match(String(line.msg), /no channel was planned; the event is undeliverable/);
  });

  it('says nothing was written when no channel was planned and no open event is left', async () => {
    const line = await lineFor(null, false);
    assert.deepEqual([line.planned, line.settled], [false, false]);
    assert.doesNotMatch(String(line.msg), /dead-lettered|is undeliverable/);
    assert.match(String(line.msg), /nothing written/);
  });
});
