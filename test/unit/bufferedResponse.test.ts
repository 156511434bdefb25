// A Graph answer whose body is already in memory reads as a Response built from the same bytes
// does: the same text, JSON, bytes and errors, and the platform's own stream when one is asked for.

import { strict as assert } from 'node:assert';
import { bufferedResponse } from '../../src/graph/bufferedResponse';

const BYTES = [
  Buffer.from('{"a":"é","b":[1,2]}'),
  // A byte order mark is dropped, as UTF-8 decode drops it; a broken sequence becomes U+FFFD.
  Buffer.from('\uFEFF{"a":1}'),
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x22, 0x7d]),
  Buffer.from('not json'),
];

/** The buffered answer and the real one, from the same bytes and init. */
function both(bytes: Buffer): [Response, Response] {
  const init = () => ({ status: 200, statusText: 'OK', headers: new Headers({ 'content-type': 'application/json' }) });
  return [bufferedResponse(Buffer.from(bytes), init()), new Response(Buffer.from(bytes), init())];
}

/** What a read gives: its value, or the type and message of its error. */
async function outcome(read: () => Promise<unknown>): Promise<unknown> {
  try {
    const v = await read();
    return v instanceof ArrayBuffer || v instanceof Uint8Array ? ['bytes', [...new Uint8Array(v)]] : ['value', v];
  } catch (e) {
    return ['error', (e as Error).name, (e as Error).message];
  }
}

describe('buffered Graph answer', () => {
  it('is a Response with the status, status text and headers it was given', () => {
    const [mine] = both(BYTES[0]!);
    assert.ok(mine instanceof Response);
    assert.equal(mine.status, 200);
    assert.equal(mine.ok, true);
    assert.equal(mine.statusText, 'OK');
    assert.equal(mine.headers.get('content-type'), 'application/json');
    assert.equal(mine.bodyUsed, false);
  });

  it('reads as text, JSON and bytes as a Response does, once', async () => {
    for (const bytes of BYTES) {
      for (const how of ['text', 'json', 'arrayBuffer', 'bytes'] as const) {
        const [mine, real] = both(bytes);
        const read = (r: Response) => () => (r as unknown as Record<string, () => Promise<unknown>>)[how]!.call(r);
        assert.deepEqual(await outcome(read(mine)), await outcome(read(real)), `${how} of ${bytes.toString()}`);
        assert.equal(mine.bodyUsed, real.bodyUsed);
        // A second read is refused alike, and so is a clone after a read.
        assert.deepEqual(await outcome(read(mine)), await outcome(read(real)), `second ${how}`);
        assert.deepEqual(await outcome(async () => mine.clone()), await outcome(async () => real.clone()));
      }
    }
  });

  it('hands out a clone that reads the same, the original still unread', async () => {
    const [mine] = both(BYTES[0]!);
    assert.equal(await mine.clone().text(), '{"a":"é","b":[1,2]}');
    assert.equal(mine.bodyUsed, false);
    assert.deepEqual(await mine.json(), { a: 'é', b: [1, 2] });
  });

  it('gives the platform stream and blob when they are asked for', async () => {
    const [mine] = both(BYTES[0]!);
    const reader = mine.body!.getReader();
    const chunks: number[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(...r.value);
    assert.equal(Buffer.from(chunks).toString(), '{"a":"é","b":[1,2]}');
    assert.equal(mine.bodyUsed, true);
    await assert.rejects(mine.text(), TypeError);
    const [other] = both(BYTES[0]!);
    const blob = await other.blob();
    assert.equal(await blob.text(), '{"a":"é","b":[1,2]}');
    assert.equal(other.bodyUsed, true);
  });

  it('refuses the stream of a body already read, as a Response does', async () => {
    const [mine, real] = both(BYTES[0]!);
    await mine.text();
    await real.text();
    assert.equal(mine.bodyUsed, true);
    assert.equal(mine.body?.locked, real.body?.locked);
  });
});
