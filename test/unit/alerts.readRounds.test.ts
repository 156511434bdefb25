// mapAtMost (readRounds.ts): every item read, at most `most` at a time, the answers in the items'
// order however the reads end; the first rejection rejects the whole and starts no further read.

import { strict as assert } from 'node:assert';
import { anyInRounds, mapAtMost } from '../../src/alerts/readRounds';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('alerts: reads at most a bound at a time (mapAtMost)', () => {
  it('answers in the items order, never more than the bound under way', async () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    let atOnce = 0;
    let most = 0;
    const answers = await mapAtMost(
      items,
      async (i) => {
        most = Math.max(most, ++atOnce);
        await tick((i * 7) % 5);
        atOnce--;
        return `item ${i}`;
      },
      4,
    );
    assert.deepEqual(
      answers,
      items.map((i) => `item ${i}`),
    );
    assert.equal(most, 4);
  });

  it('no items: no read, an empty answer', async () => {
    assert.deepEqual(await mapAtMost([], async () => assert.fail('read')), []);
  });

  it('a read that fails rejects the whole with its error, and no further read starts', async () => {
    const started: number[] = [];
    const items = Array.from({ length: 40 }, (_, i) => i);
    await assert.rejects(
      mapAtMost(
        items,
        async (i) => {
          started.push(i);
          await tick(1);
          if (i === 2) throw new Error('read 2 failed');
          return i;
        },
        4,
      ),
      /read 2 failed/,
    );
    await tick(20);
    // The four first reads, and at most the ones that began as the others ended before read 2 failed.
    assert.ok(started.length < 8, `${started.length} reads started`);
  });

  it('a bound that reads nothing is refused, not answered with holes', async () => {
    let reads = 0;
    const read = async (i: number) => {
      reads++;
      return i;
    };
    for (const most of [0, -1, 1.5, Number.NaN]) {
      await assert.rejects(mapAtMost([1, 2, 3], read, most), RangeError, `mapAtMost with ${most}`);
      await assert.rejects(
        anyInRounds([1, 2, 3], async () => false, most),
        RangeError,
        `anyInRounds with ${most}`,
      );
    }
    assert.equal(reads, 0);
  });
});
