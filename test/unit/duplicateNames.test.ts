// firstDuplicateName reads names as JSON.parse does, over any valid JSON: never a duplicate in what
// JSON.stringify writes (whatever the strings hold), always the one a body repeats.
// RFC 8259 §4: https://www.rfc-editor.org/rfc/rfc8259#section-4

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { firstDuplicateName } from '../../src/http/duplicateNames';

describe('names given twice in a JSON object', () => {
  it('finds none in what JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (v) => {
        assert.equal(firstDuplicateName(JSON.stringify(v, null, 1)), null);
        assert.equal(firstDuplicateName(JSON.stringify(v)), null);
      }),
      { numRuns: 500 },
    );
  });

  it('finds a name repeated in any object, with its path', () => {
    fc.assert(
      fc.property(fc.string(), fc.jsonValue({ maxDepth: 2 }), (name, v) => {
        const key = JSON.stringify(name);
        const inner = `{${key}:${JSON.stringify(v)},"x":[1,{"y":2}],${key}:null}`;
        assert.deepEqual(firstDuplicateName(inner), { name, path: '' });
        assert.deepEqual(firstDuplicateName(`{"a":[${inner}]}`), { name, path: 'a[]' });
        assert.deepEqual(firstDuplicateName(`{"a":{"b":${inner}}}`), { name, path: 'a.b' });
      }),
      { numRuns: 300 },
    );
  });

  it('reads an escaped name as the name it decodes to', () => {
    assert.deepEqual(firstDuplicateName('{"ab":1, "\\u0061b" : 2}'), { name: 'ab', path: '' });
    assert.equal(firstDuplicateName('{"a\\\\":1,"a":2,"\\"a":3}'), null);
  });
});
