// Generators shared by the property tests: GUIDs in any case, ids that are almost GUIDs, and the
// noise Teams and callers put around real input (mentions, HTML, entities, unicode, huge text).
// They depend on nothing in src/, so a change to the parsers never changes what is generated.

import fc from 'fast-check';

/** 10,000 cases per property (issue 6.8); a failing seed is printed by fast-check to replay it. */
export const RUNS = { numRuns: 10_000 } as const;

/** What every id the parsers hand on must look like: a GUID, lower case. */
export const LOWER_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const hexChar = fc.constantFrom(...'0123456789abcdef'.split(''));
const hexRun = (n: number) => fc.array(hexChar, { minLength: n, maxLength: n }).map((a) => a.join(''));

/** Any 8-4-4-4-12 hex GUID (not only RFC 4122 versions), lower case. */
export const guid = fc.tuple(hexRun(8), hexRun(4), hexRun(4), hexRun(4), hexRun(12)).map((parts) => parts.join('-'));

/** A GUID with random letter case: the parsers must accept it and hand it on in lower case. */
export const anyCaseGuid = guid.chain((g) => fc.mixedCase(fc.constant(g)));

/**
 * Characters that turn a GUID into a non-GUID while keeping it one word: nothing that is white
 * space to JavaScript's \s, and no `<`, `>` or `&` (Teams markup the grammar strips or decodes).
 */
const NON_HEX = [
  ...'ghijklmnopqrstuvwxyzGXZ_.,;:!?/\\|+=*#%$@~^`"\'()[]{}',
  '０', // fullwidth zero
  '٣', // Arabic-Indic three
  'а', // Cyrillic a, looks like a Latin a
  'é',
  'ß',
  '😀',
  '\u0301', // combining acute accent
];

/** One-word ids that are almost a GUID: one character changed, missing or extra, dashes moved, wrapped. */
export const almostGuid: fc.Arbitrary<string> = fc
  .tuple(guid, fc.nat(), fc.constantFrom(...NON_HEX), fc.integer({ min: 0, max: 9 }))
  .map(([g, at, ch, how]) => {
    const i = at % g.length;
    switch (how) {
      case 0:
        return g.slice(0, i) + ch + g.slice(i + 1); // one character replaced
      case 1:
        return g.slice(0, i) + g.slice(i + 1); // one character missing
      case 2:
        return g.slice(0, i) + 'a' + g.slice(i); // one hex digit too many
      case 3:
        return g.replace(/-/g, ''); // no dashes
      case 4:
        return `{${g}}`; // registry form
      case 5:
        return `urn:uuid:${g}`;
      case 6:
        return g + ch; // trailing punctuation or symbol
      case 7:
        return g.slice(0, 8) + g.slice(9, 10) + '-' + g.slice(10); // first dash one place late
      case 8:
        return g.slice(0, 35); // truncated
      default:
        return g.replace(/-/g, '_'); // wrong separator
    }
  });

/** Ids that are not GUIDs, from near misses to anything at all (possibly empty or multi-word). */
export const notGuid: fc.Arbitrary<string> = fc.oneof(
  almostGuid,
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '00000000-0000-0000-0000-00000000000', 'null', 'undefined', '[object Object]'),
);

const MARKUP = [
  '<at>Governance Bot</at>',
  '<at>Someone Else</at>',
  '<at>',
  '</at>',
  '<p>',
  '</p>',
  '<br/>',
  '<b>bold</b>',
  '&amp;',
  '&lt;',
  '&gt;',
  '&nbsp;',
  '&#45;',
  '&#x2D;',
  '&#0;',
  '&#x110000;',
  '&#9999999;',
  '&#x1F600;',
  '&bogus;',
  '&',
  '\u200b',
  '\u00a0',
  '\ufeff',
  '\u2028',
  '\r\n',
  '\t',
];

/** Random text: plain, full unicode (lone surrogates included), Teams markup, and very long. */
export function noisyText(words: readonly string[]): fc.Arbitrary<string> {
  const token = fc.oneof(
    fc.constantFrom(...words),
    fc.constantFrom(...MARKUP),
    guid,
    anyCaseGuid,
    almostGuid,
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'binary', maxLength: 12 }),
  );
  const separator = fc.constantFrom(' ', '  ', '\n', '\t', '\u00a0', '', '&nbsp;', '<br>');
  const soup = fc
    .array(fc.tuple(token, separator), { maxLength: 14 })
    .map((parts) => parts.map(([t, s]) => t + s).join(''));
  const huge = fc
    .tuple(fc.string({ minLength: 1, maxLength: 24 }), fc.integer({ min: 40, max: 6000 }))
    .map(([s, n]) => s.repeat(Math.ceil(n / s.length)).slice(0, n));
  return fc.oneof(
    { weight: 4, arbitrary: soup },
    { weight: 2, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 100 }) },
    { weight: 1, arbitrary: huge },
  );
}

/** Any JSON value, or any JavaScript value at all (what a deserialized body may hold and more). */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.anything({ maxDepth: 3, withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true }),
);
