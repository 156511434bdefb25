// Limits said in characters count characters, not UTF-16 code units (README: an event's `title` at
// most 200, `details` at most 1000; a justification at most 500).

import { strict as assert } from 'node:assert';
import { characterCount, firstCharacters } from '../../src/domain/characters';

describe('characters', () => {
  const astral = '\u{20000}'; // one CJK ideograph, two UTF-16 code units

  it('counts code points', () => {
    assert.equal(characterCount(''), 0);
    assert.equal(characterCount('abc'), 3);
    assert.equal(characterCount(astral.repeat(200)), 200);
    assert.equal(characterCount(`a${astral}b`), 3);
  });

  it('cuts at a character, never inside a surrogate pair', () => {
    assert.equal(firstCharacters('abcdef', 3), 'abc');
    assert.equal(firstCharacters(astral.repeat(5), 2), astral.repeat(2));
    assert.equal(firstCharacters(`a${astral}`, 2), `a${astral}`);
    assert.equal(firstCharacters(`a${astral}b`, 2), `a${astral}`);
  });
});
