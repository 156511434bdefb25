// A decision button's approval moment (endsAt) is taken only as a time a Date holds: ECMAScript time
// values reach ±8.64e15 ms from the epoch
// (https://tc39.es/ecma262/multipage/numbers-and-dates.html#sec-time-values-and-time-range), and a
// moment is stamped as a Date in its audit line and in the ended card's words. A safe integer beyond
// that used to pass the parse and then throw RangeError from toISOString, answering the press with
// no card and no audit line. A list row's button never carries a moment, so one that does is refused.

import { strict as assert } from 'node:assert';
import { NO_MOMENT, parseButtonData, parseRowButtonData } from '../../src/bot/cardActions';

const REQUEST = '7999249e-249e-7999-9e24-99799e249979';
const approve = (endsAt: unknown) => ({
  operation: 'decideAccessPackageApproval',
  ids: { requestId: REQUEST },
  decision: 'approve',
  endsAt,
});

describe('button data: the approval moment', () => {
  for (const endsAt of [-9e15, 9e15, 8.64e15 + 1, -8.64e15 - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) {
    it(`refuses ${endsAt}, a moment no Date holds`, () => {
      assert.deepEqual(parseButtonData(approve(endsAt)), { ok: false, problem: NO_MOMENT });
    });
  }

  for (const endsAt of [8.64e15, -8.64e15, 0, 1_800_000_000_000]) {
    it(`takes ${endsAt}, a moment a Date holds`, () => {
      const parsed = parseButtonData(approve(endsAt));
      assert.ok(parsed.ok, JSON.stringify(parsed));
      assert.equal(parsed.target.endsAt, endsAt);
      assert.doesNotThrow(() => new Date(endsAt).toISOString());
    });
  }

  it('refuses a moment on a list row, and takes the row button without one', () => {
    assert.deepEqual(parseRowButtonData(approve(1_800_000_000_000)), { ok: false, problem: NO_MOMENT });
    const { endsAt: _none, ...row } = approve(undefined);
    const parsed = parseRowButtonData(row);
    assert.ok(parsed.ok, JSON.stringify(parsed));
    assert.equal(parsed.target.endsAt, undefined);
  });
});
