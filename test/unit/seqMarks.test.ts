// The bounded per-key sequence marks of the write-behind queue (src/state/seqMarks.ts): the key
// noted least recently goes first when the bound is passed. A key dropped again (forgotten twice
// with no capture in between, so at the same sequence number) is noted again: its mark is as
// fresh as the last drop, as when the drops were kept in a map of their own.

import { strict as assert } from 'node:assert';
import { SeqMarks } from '../../src/state/seqMarks';

describe('SeqMarks', () => {
  it('keeps the highest seq noted per key, 0 for a key never noted', () => {
    const marks = new SeqMarks(10);
    marks.raise('a', 5);
    marks.raise('a', 3);
    assert.equal(marks.of('a'), 5);
    assert.equal(marks.of('b'), 0);
  });

  it('a key noted again at the same seq is the most recent one, not the first out', () => {
    const marks = new SeqMarks(2);
    marks.raise('a', 7);
    marks.raise('b', 7);
    marks.raise('a', 7);
    marks.raise('c', 7);
    assert.equal(marks.of('a'), 7, 'a was noted after b');
    assert.equal(marks.of('b'), 0, 'b, noted least recently, went');
  });

  it('a lower seq leaves the mark and its place as they were', () => {
    const marks = new SeqMarks(2);
    marks.raise('a', 7);
    marks.raise('b', 7);
    marks.raise('a', 2);
    marks.raise('c', 7);
    assert.equal(marks.of('a'), 0);
    assert.equal(marks.of('b'), 7);
  });
});
