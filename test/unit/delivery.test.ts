import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { Deliverer } from '../../src/notifications/delivery';
import { parseEvent } from '../../src/notifications/events';
import { ConversationReferences, NotificationStore } from '../../src/notifications/store';
import { createLogger } from '../../src/log';
import { FileStorage } from '../../src/storage/fileStorage';

const USER = 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1';
const quiet = createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) });

function teamsError(statusCode: number, retryAfter?: string): Error {
  return Object.assign(new Error(`HTTP ${statusCode}`), {
    statusCode,
    response: { headers: { get: (n: string) => (n === 'retry-after' ? retryAfter : undefined) } },
  });
}

describe('notification delivery', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-delivery-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function setup(failures: Error[]) {
    const storage = new FileStorage(dir);
    const store = new NotificationStore(storage);
    const references = new ConversationReferences(storage);
    await references.remember(
      { conversation: { id: 'a:personal', conversationType: 'personal' } as never, serviceUrl: 'https://x' },
      USER,
      undefined,
    );
    const sleeps: number[] = [];
    let sends = 0;
    const deliverer = new Deliverer({
      store,
      references,
      logger: quiet,
      render: () => ({
        attachment: { contentType: 'application/vnd.microsoft.card.adaptive', content: {} },
        summary: 's',
      }),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      send: async () => {
        sends++;
        const f = failures.shift();
        if (f) throw f;
        return 'activity-1';
      },
    });
    const parsed = parseEvent({
      eventId: 'e1',
      kind: 'roleRequest',
      target: { userId: USER },
      requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
    });
    assert.ok(parsed.ok);
    await store.accept(parsed.event);
    return { store, deliverer, sleeps, sends: () => sends };
  }

  it('retries 429, 412, 502 and 504 with backoff, at least Retry-After', async () => {
    const { store, deliverer, sleeps, sends } = await setup([
      teamsError(429, '3'),
      teamsError(412),
      teamsError(502),
      teamsError(504),
    ]);
    await deliverer.deliver('e1');
    const rec = await store.get('e1');
    assert.equal(rec?.state, 'delivered');
    assert.equal(rec?.activityId, 'activity-1');
    assert.equal(rec?.attempts, 5);
    assert.equal(sends(), 5);
    assert.ok(sleeps[0]! >= 3000, 'Retry-After honoured');
    assert.ok(sleeps[2]! > sleeps[1]!, 'backoff grows');
    assert.deepEqual(await store.queued(), [], 'no longer queued');
  });

  it('gives up on other errors and after bounded attempts, saying why', async () => {
    const a = await setup([teamsError(403)]);
    await a.deliverer.deliver('e1');
    assert.equal((await a.store.get('e1'))?.state, 'undeliverable');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir);
    const b = await setup(Array.from({ length: 20 }, () => teamsError(429)));
    await b.deliverer.deliver('e1');
    const rec = await b.store.get('e1');
    assert.equal(rec?.state, 'undeliverable');
    assert.equal(rec?.attempts, 6);
  });

  it('keeps under 7 sends per second in one conversation', async () => {
    const storage = new FileStorage(dir);
    const store = new NotificationStore(storage);
    const references = new ConversationReferences(storage);
    await references.remember(
      { conversation: { id: 'a:personal', conversationType: 'personal' } as never },
      USER,
      undefined,
    );
    const times: number[] = [];
    const deliverer = new Deliverer({
      store,
      references,
      logger: quiet,
      render: () => ({ attachment: { contentType: 'x' }, summary: 's' }),
      send: async () => {
        times.push(Date.now());
        return 'id';
      },
    });
    for (let i = 0; i < 10; i++) {
      const p = parseEvent({
        eventId: `r${i}`,
        kind: 'roleRequest',
        target: { userId: USER },
        requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
      });
      assert.ok(p.ok);
      await store.accept(p.event);
      deliverer.kick(`r${i}`);
    }
    await deliverer.idle();
    assert.equal(times.length, 10);
    // The first seven go at once; the eighth waits for the one-second window (a few ms of slack
    // for the time between the pacer's grant and the send being recorded).
    assert.ok(times[6]! - times[0]! < 500, 'no needless delay');
    assert.ok(times[7]! - times[0]! >= 950, `8th send ${times[7]! - times[0]!} ms after the first`);
  });
});
