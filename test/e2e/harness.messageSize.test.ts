// The connector of the end-to-end world is at least as strict as Teams about a message's size:
// "The bot message size limit is 100 KB ... encoded as UTF-16 ... ensure that the size of the
// message itself is within 80 KB to guarantee successful message delivery. If the bot message
// exceeds the size limit, the bot receives a 413 status code (RequestEntityTooLarge), which
// contains the error code MessageSizeTooBig."
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/format-your-bot-messages

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as https from 'node:https';
import { World, startWorld } from './harness';

function call(
  world: World,
  method: 'POST' | 'PUT',
  at: string,
  body: unknown,
): Promise<{ status: number; text: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(at, world.serviceUrl),
      {
        method,
        ca: fs.readFileSync(world.caFile),
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('e2e world: the connector refuses an oversize message as Teams does', function () {
  this.timeout(30_000);
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(async () => {
    await world.close();
  });

  it('answers 413 MessageSizeTooBig to a send or an update over 80 KB (UTF-16) and records nothing', async () => {
    const big = { type: 'message', text: 'x'.repeat(41 * 1024) };
    for (const [method, at] of [
      ['POST', 'v3/conversations/a%3Aconv/activities'],
      ['POST', 'v3/conversations/a%3Aconv/activities/act-1'],
      ['PUT', 'v3/conversations/a%3Aconv/activities/act-1'],
    ] as const) {
      const res = await call(world, method, at, big);
      assert.equal(res.status, 413, `${method} ${at}: ${res.text}`);
      assert.equal((JSON.parse(res.text) as { error?: { code?: string } }).error?.code, 'MessageSizeTooBig');
    }
    assert.equal(world.calls.length, 0);
    const within = await call(world, 'POST', 'v3/conversations/a%3Aconv/activities', {
      type: 'message',
      text: 'x'.repeat(39 * 1024),
    });
    assert.equal(within.status, 201, within.text);
    assert.equal(world.calls.length, 1);
  });
});
