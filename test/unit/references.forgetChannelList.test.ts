// A channel forgotten after Teams refused a send there (403/404: the bot removed from the team, or the
// channel deleted,
// https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages)
// whose reference is deleted but whose team's list cannot be written. Once the reference is gone no
// send reaches the channel, so no later refusal forgets it, and the team can no longer be read from
// it: the forget tries the list once more itself, and what it says of a failure is what is left (the
// list names the channel until the team's removal), not that a later refusal forgets it.

import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import pino from 'pino';
import { forgetRecipient } from '../../src/notifications/forgetRecipient';
import { NotificationEvent } from '../../src/notifications/events';
import { Records } from '../../src/state/port';
import { ReferenceWriteError } from '../../src/state/referenceWriteErrors';
import { ConversationReferences } from '../../src/state/references';
import { inChannel, referencesOnSqlite } from '../fixtures/referencesOnSqlite';

const TEAM = '19:team';
const LIST = `ref:team:${TEAM}`;
const CH_A = '19:a@thread.tacv2';
const CH_B = '19:b@thread.tacv2';

describe("conversation references: a channel's forget whose team list write fails", () => {
  const world = referencesOnSqlite('govbot-refs-list-');

  /** The store, with the next `failures` writes of the team's list refused. */
  const listWritesFailing = (failures: number): Records => {
    const records = world.state.records;
    const refuse = () => {
      if (failures <= 0) return false;
      failures--;
      return true;
    };
    const refused = () => Promise.reject(Object.assign(new Error('ServerBusy'), { statusCode: 503 }));
    return {
      get: (k) => records.get(k),
      create: (k, v, o) => records.create(k, v, o),
      replace: (k, v, ver, o) => (k === LIST && refuse() ? refused() : records.replace(k, v, ver, o)),
      put: (k, v, o) => records.put(k, v, o),
      delete: (k, v) => (k === LIST && refuse() ? refused() : records.delete(k, v)),
    };
  };

  const captureBoth = async () => {
    const refs = new ConversationReferences(world.state.records, { flushDelayMs: 60_000 });
    for (const ch of [CH_A, CH_B])
      await refs.remember(
        { ...inChannel('u1', 't'), conversation: { id: ch, conversationType: 'channel' } },
        'u1',
        ch,
        TEAM,
      );
    await refs.flush();
  };
  const listed = async () => (await world.state.records.get<{ channels: string[] }>(LIST))?.value.channels ?? [];

  it('one refused write of the list is tried again within the forget', async () => {
    await captureBoth();
    await new ConversationReferences(listWritesFailing(1)).forgetChannel(CH_A);
    const fresh = new ConversationReferences(world.state.records);
    assert.equal(await fresh.forChannel(CH_A), null);
    assert.deepEqual(await listed(), [CH_B], 'the forgotten channel is off the list');
  });

  it('a list that cannot be written says the list keeps the channel, and so does the log', async () => {
    await captureBoth();
    const refs = new ConversationReferences(listWritesFailing(Infinity));
    let thrown: unknown;
    await assert.rejects(
      refs.forgetChannel(CH_A).catch((e: unknown) => {
        thrown = e;
        throw e;
      }),
      (e: ReferenceWriteError) => {
        assert.equal(e.code, 'REFERENCES_NOT_FORGOTTEN');
        assert.equal(
          e.message,
          "1 conversation reference was forgotten, but its team's list could not be written; " +
            'it names it until a later removal of the team',
        );
        assert.doesNotMatch(e.message, /refusal/, 'no refusal comes to a channel without a reference');
        return true;
      },
    );
    assert.equal(await new ConversationReferences(world.state.records).forChannel(CH_A), null, 'the reference is gone');
    assert.deepEqual([...(await listed())].sort(), [CH_A, CH_B], 'the list still names it');

    // What the delivery worker logs after the refusal that led to this forget.
    const lines: string[] = [];
    const logger = pino(
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    const event = { eventId: 'e-1', target: { channelId: CH_A } } as unknown as NotificationEvent;
    // The reference the refused send used (its version whatever: this forget throws).
    const refused = { reference: { conversation: { id: CH_A } }, version: 'read-before-the-send' };
    await forgetRecipient({ ...refs, forgetChannel: () => Promise.reject(thrown) } as never, logger, event, refused);
    const logged = lines.map((l) => JSON.parse(l) as { event?: string; msg?: string });
    const failed = logged.find((l) => l.event === 'notification.forget.failed');
    assert.ok(failed, 'the failed forget is logged');
    assert.match(String(failed.msg), /team's list keeps the channel until the team's removal/);
    assert.doesNotMatch(String(failed.msg), /next refusal/);
  });
});
