// The reason an event is left undeliverable with says what the last attempt met. A send with no
// HTTP status was always "no answer in time", also when Teams' connection was refused or its name
// could not be looked up: an administrator reading it would look for a slow service, not for a
// network or DNS fault. Node's system error codes:
// https://nodejs.org/api/errors.html#common-system-errors

import { strict as assert } from 'node:assert';
import { SendCard } from '../../src/notifications/delivery';
import { lastAnswerWords } from '../../src/notifications/noAnswer';
import { deliverySession, eventually, roleEvent } from '../fixtures/deliverySession';

const systemError = (code: string, message: string): Error => Object.assign(new Error(message), { code });

describe('the reason a send with no answer gives up with', () => {
  const session = deliverySession();

  const cases: [string, SendCard, RegExp][] = [
    [
      'a refused connection',
      () => Promise.reject(systemError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:443')),
      /after 3 attempts \(last: the connection was refused\)/,
    ],
    [
      'a failed DNS lookup',
      () => Promise.reject(systemError('ENOTFOUND', 'getaddrinfo ENOTFOUND smba.example')),
      /after 3 attempts \(last: Teams' address could not be looked up\)/,
    ],
    [
      // fetch reports the socket's error as the cause of "fetch failed".
      'a reset, as fetch reports it',
      () => Promise.reject(new TypeError('fetch failed', { cause: systemError('ECONNRESET', 'socket hang up') })),
      /after 3 attempts \(last: the connection broke before an answer\)/,
    ],
    ['a send past its deadline', () => new Promise(() => undefined), /after 3 attempts \(last: no answer in time\)/],
  ];

  for (const [what, send, reason] of cases) {
    it(`says so after ${what}`, async () => {
      const { store, worker } = await session.instance(send, { maxAttempts: 3, sendTimeoutMs: 30 });
      await store.accept(roleEvent('e1'));
      worker.start();
      await eventually(async () => (await store.get('e1'))?.state !== 'queued', 'the outcome');
      const record = await store.get('e1');
      assert.equal(record?.state, 'undeliverable');
      assert.match(String(record?.reason), reason);
    });
  }

  it('names the status when Teams gave one, and "no answer" for a failure it cannot tell', () => {
    assert.equal(lastAnswerWords(503, systemError('ECONNREFUSED', 'x')), '503');
    assert.equal(lastAnswerWords(null, new Error('socket hang up')), 'no answer');
    assert.equal(lastAnswerWords(null, systemError('EAI_AGAIN', 'x')), "Teams' address could not be looked up");
    assert.equal(lastAnswerWords(null, systemError('ETIMEDOUT', 'x')), 'no answer in time');
  });
});
