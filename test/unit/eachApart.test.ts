// The periodic pass's items worked apart (eachApart.ts): an item that fails holds up none after
// it, and the first failure goes up once all had their turn; a store that cannot be reached, or a
// stop, goes up at once (every later item would fail alike).

import { strict as assert } from 'node:assert';
import { eachApart } from '../../src/alerts/eachApart';
import { StateUnavailableError } from '../../src/state/port';

describe('eachApart', () => {
  it('works every item past one that fails, then rejects with the first failure', async () => {
    const worked: number[] = [];
    const work = async (n: number) => {
      if (n === 1 || n === 3) throw new TypeError(`item ${n}`);
      worked.push(n);
    };
    await assert.rejects(eachApart([0, 1, 2, 3, 4], work), /item 1/);
    assert.deepEqual(worked, [0, 2, 4]);
    assert.equal(await eachApart([0, 2], work), 2);
  });

  it('stops at once when the store cannot be reached, or at a stop', async () => {
    const worked: number[] = [];
    await assert.rejects(
      eachApart([0, 1, 2], async (n) => {
        if (n === 1) throw new StateUnavailableError('state store: read failed');
        worked.push(n);
      }),
      StateUnavailableError,
    );
    assert.deepEqual(worked, [0]);
    const stop = new AbortController();
    await assert.rejects(
      eachApart(
        [0, 1, 2],
        async (n) => {
          if (n === 1) stop.abort(new Error('stopped'));
          worked.push(n);
        },
        stop.signal,
      ),
      /stopped/,
    );
    assert.deepEqual(worked, [0, 0, 1]);
  });
});
