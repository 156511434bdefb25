// A posted notification card's binding names when its event was accepted: what the card shows was
// formed then. The double-click guard (src/domain/cardAction.ts) counts a clicker's earlier stage
// decision made well before that time as one the card was posted after (a notification of the stage
// now open), and any later one as one the card never showed. The binding itself may be written much
// later (a binding that failed is retried for up to a day: boundRow.ts), so its own time would pass
// a stale press on an old card as seen.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { parseEvent } from '../../src/notifications/events';
import { bindPostedAlert } from '../../src/notifications/postedAlert';
import { recordPostedCard } from '../../src/notifications/postedCard';
import { CardBindings } from '../../src/state/cardBindings';
import { SqliteState } from '../../src/state/sqlite';
import type { DeliveryRecord } from '../../src/alerts/deliveries';
import type { StoredAlert } from '../../src/alerts/alertStore';

const REQUEST = '7999249e-249e-7999-9e24-99799e249984';
const ACCEPTED = '2026-11-29T09:00:00.000Z';

describe('posted cards: the binding names when the event was accepted', () => {
  let dir: string;
  let state: SqliteState;
  let bindings: CardBindings;
  const logger = pino({ level: 'silent' });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gb-formed-'));
    state = new SqliteState(path.join(dir, 'state.db'));
    bindings = new CardBindings(state.records);
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const parsed = parseEvent({
    eventId: 'approval-1',
    kind: 'accessApproval',
    target: { userId: 'a1b2c3d4-1111-4aaa-8bbb-0000000000a6' },
    requestId: REQUEST,
  });
  assert.ok(parsed.ok, JSON.stringify(parsed));
  const event = parsed.event;

  it('a notification card in a chat', async () => {
    const bound = await recordPostedCard({ bindings, logger }, 'a:chat', 'act-1', { event, acceptedAt: ACCEPTED });
    assert.equal(bound, 'bound');
    assert.equal((await bindings.cardOf('a:chat', 'act-1'))?.formedAt, Date.parse(ACCEPTED));
  });

  it('an alert card in a channel, and none for an alert with no acceptance', async () => {
    const alert = (acceptedAt?: string): StoredAlert =>
      ({
        eventId: 'approval-1',
        item: { operation: event.item.operation, ids: event.item.ids },
        ...(acceptedAt ? { acceptedAt } : {}),
      }) as unknown as StoredAlert;
    const record = { deliveryId: 'd-1', eventId: 'approval-1', channelId: '19:ops@thread.tacv2' } as DeliveryRecord;
    const deps = (known: StoredAlert) => ({
      alerts: { get: async () => known },
      bindings,
      copies: { add: async () => undefined },
      logger,
    });
    await bindPostedAlert(deps(alert(ACCEPTED)), record, 'act-2');
    assert.equal((await bindings.cardOf('19:ops@thread.tacv2', 'act-2'))?.formedAt, Date.parse(ACCEPTED));
    await bindPostedAlert(deps(alert()), record, 'act-3');
    const unknown = await bindings.cardOf('19:ops@thread.tacv2', 'act-3');
    assert.ok(unknown, 'bound');
    assert.equal(unknown.formedAt, undefined);
  });
});
