// An id pasted from another place can carry what no one sees or notices: an invisible character
// (a zero-width joiner, a word joiner, a soft hyphen), a hyphen that only looks like one (Word's
// non-breaking hyphen, a dash), the braces of the registry form, or the sentence's full stop. The
// refusal quoted the value, which then looked like a GUID, and said only that it must be one: it
// named no problem. It now says what is wrong and what to do, and still refuses (contract §3:
// "every id is a GUID"; "An id that is not a GUID never reaches Graph").

import { strict as assert } from 'node:assert';
import { parseCommand } from '../../src/bot/commands';
import { nearlyGuidHint } from '../../src/domain/idProblem';

const R = '6b6f1c36-8d06-4386-a377-79dbab1a2eb6';

function problemOf(text: string): string {
  const r = parseCommand(text);
  assert.equal(r.kind, 'bad', text);
  return r.kind === 'bad' ? r.problem : '';
}

describe('a refused id names what is wrong with it', () => {
  it('names an invisible character, where it is, and what to do', () => {
    for (const [ch, code] of [
      ['\u200c', 'U+200C'],
      ['\u200d', 'U+200D'],
      ['\u2060', 'U+2060'],
      ['\u00ad', 'U+00AD'],
    ] as const) {
      const p = problemOf(`cancel role-request ${R.slice(0, 13)}${ch}${R.slice(13)}`);
      assert.match(p, /^requestId must be a GUID/, p);
      assert.ok(p.includes(`an invisible character (${code}) after "${R.slice(0, 13)}"`), p);
      assert.match(p, /type the id again/, p);
    }
  });

  it('names a hyphen look-alike', () => {
    const p = problemOf(`cancel role-request ${R.replace(/-/g, '\u2011')}`);
    assert.ok(p.includes('"\u2011" (U+2011) where a GUID has a hyphen'), p);
    const dash = problemOf(`cancel role-request ${R.replace('-', '\u2013')}`);
    assert.ok(dash.includes('"\u2013" (U+2013) where a GUID has a hyphen'), dash);
  });

  it('names braces, quotes and punctuation around a GUID', () => {
    assert.match(
      problemOf(`cancel role-request {${R.toUpperCase()}}`),
      /Leave out "\{" before it and "\}" after it\.$/,
    );
    assert.match(problemOf(`cancel role-request ${R}.`), /Leave out "\." after it\.$/);
    assert.match(problemOf(`cancel role-request "${R}",`), /Leave out '"' before it and '",' after it\.$/);
  });

  // The 32 hex digits of a GUID without its hyphens (.NET's "N" form, as some tools and logs print
  // it) are still refused, as every id is a GUID in its hyphenated form, and the refusal says how
  // to write it: it said only that it must be a GUID, which the digits already looked like.
  it('names a GUID written without its hyphens, for a person, a program and a button', () => {
    const digits = R.replace(/-/g, '');
    const p = problemOf(`cancel role-request ${digits}`);
    assert.match(p, /^requestId must be a GUID/, p);
    assert.ok(p.includes(`It has no hyphens: type it as ${R}`), p);
    assert.ok(nearlyGuidHint(digits.toUpperCase(), 'program').includes(`send it as ${R.toUpperCase()}`));
    assert.match(nearlyGuidHint(digits, 'button'), /It has no hyphens: this button was not made as Governance Bot/);
    assert.equal(nearlyGuidHint(`${digits}0`), '', 'one digit too many is no GUID without hyphens');
  });

  it('adds nothing to a value that is no GUID at all', () => {
    assert.equal(
      problemOf('cancel role-request 6b6f'),
      'requestId must be a GUID like 00000000-0000-0000-0000-000000000000, not "6b6f".',
    );
  });

  // A zero-width space is read as a space (Teams and web pages put it where a long word may wrap):
  // one inside a pasted id cuts it in two, and the message looks like one id.
  it('names an id cut in two by a space or a zero-width space', () => {
    const cut = `${R.slice(0, 13)}\u200b${R.slice(13)}`;
    const count = problemOf(`cancel role-request ${cut}`);
    assert.match(count, /I found 2 values\./, count);
    assert.ok(count.includes(`"${R.slice(0, 13)}" and "${R.slice(13)}" are one id cut in two`), count);
    assert.match(count, /type the id again/, count);
    const id = problemOf(`approve role-request ${cut} fine by me`);
    assert.ok(id.startsWith(`requestId must be a GUID`), id);
    assert.ok(id.includes(`"${R.slice(0, 13)}" and "${R.slice(13)}" are one id cut in two`), id);
  });

  // Cut by a zero-width space or a zero-width no-break space (U+FEFF, a byte order mark pasted
  // along), the refusal names the character by its code, as it names one inside an id; a space one
  // sees is not named. Teams sends the message's text as typed or pasted, entities decoded here:
  // https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/conversation-messages
  it('names the invisible character that cut an id in two by its code', () => {
    for (const [ch, code] of [
      ['\u200b', 'U+200B'],
      ['\ufeff', 'U+FEFF'],
      ['&#8203;', 'U+200B'],
      [' \u200b', 'U+200B'],
    ] as const) {
      const cut = `${R.slice(0, 13)}${ch}${R.slice(13)}`;
      const count = problemOf(`cancel role-request ${cut}`);
      const named = `"${R.slice(0, 13)}" and "${R.slice(13)}" are one id cut in two by an invisible character (${code}) read as a space: type the id again rather than paste it.`;
      assert.ok(count.endsWith(named), count);
      const id = problemOf(`approve role-request ${cut} fine by me`);
      assert.ok(id.startsWith(`requestId must be a GUID like`) && id.endsWith(named), id);
    }
    const seen = problemOf(`cancel role-request ${R.slice(0, 13)} ${R.slice(13)}`);
    assert.ok(
      seen.endsWith('cut in two by a space, perhaps one you cannot see: type the id again rather than paste it.'),
      seen,
    );
  });

  // The usage writes "<requestId>": an id typed in its place keeps the brackets. Where the text is
  // plain (the Agents Playground, Direct Line) they are not markup, and were dropped as a tag with
  // the id inside: the refusal said "nothing followed it".
  it('names the angle brackets of the usage around a typed id', () => {
    const p = problemOf(`cancel role-request <${R}>`);
    assert.match(p, /^requestId must be a GUID/, p);
    assert.match(p, /Leave out "<" before it and ">" after it\.$/, p);
    const upper = problemOf(`cancel role-request <${R.replace('6b6f1c36', 'ABCDEF12')}>`);
    assert.match(upper, /Leave out "<" before it and ">" after it\.$/, upper);
  });

  // A Cyrillic "а" or a fullwidth "０" looks like the Latin letter or digit: the quoted value looks
  // like a GUID.
  it('names a character of a GUID-shaped id that is no hex digit', () => {
    for (const ch of ['\u0430', '\uff10', 'g']) {
      const p = problemOf(`cancel role-request ${R.slice(0, 20)}${ch}${R.slice(21)}`);
      assert.ok(p.includes(`It holds "${ch}" (U+`), p);
      assert.match(p, /the digits 0-9 and letters a-f/, p);
    }
  });

  // Quoted alone, a Cyrillic "е" reads as the Latin "e" the id has elsewhere: the hint says where
  // it is, as the one about an invisible character does.
  it('says where in the id the character that is no hex digit sits', () => {
    const p = problemOf('cancel role-request 6b6f0c3\u0435-1111-4aaa-8bbb-000000000001');
    assert.ok(p.includes('It holds "\u0435" (U+0435) after "6b6f0c3",'), p);
    const first = problemOf('cancel role-request \u0430b6f0c3e-1111-4aaa-8bbb-000000000001');
    assert.ok(first.includes('It holds "\u0430" (U+0430) at its start,'), first);
  });

  // Another person's @mention stays a word (contract §3: only the bot's is stripped).
  it('names the words too many after the ids, a mention among them', () => {
    const p = problemOf(`cancel role-request ${R} <at>Megan Bowen</at>`);
    assert.match(p, /I found 2 values\. Leave out "@MeganBowen" at the end\.$/, p);
    const two = problemOf(`cancel run ${R} ${R} ${R} thanks`);
    assert.match(two, /I found 4 values\. Leave out "6b6f1c36-[^"]*" at the end\.$/, two);
  });

  it('names an invisible character after a decision', () => {
    const p = problemOf(`resume task ${R} ${R} ${R} completed\u2060`);
    assert.match(p, /^The last value must be "completed" or "failed"/, p);
    assert.ok(p.includes('an invisible character (U+2060) after "completed"'), p);
  });

  // A value quoted in part (its first 40 units, the 13 before an invisible character) is cut
  // between characters: half of an emoji's surrogate pair is no character, and a card shows it as
  // a broken glyph.
  it('quotes part of a value without cutting a character in two', () => {
    const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    const before = problemOf(`cancel role-request ${'\u{1F600}'.repeat(7)}\u2060${R}`);
    assert.ok(before.includes('an invisible character (U+2060) after "'), before);
    const long = problemOf(`cancel role-request x${'\u{1F600}'.repeat(30)}`);
    const slip = problemOf(`x${'\u{1F600}'.repeat(30)} role-request ${R}`);
    for (const p of [before, long, slip]) assert.doesNotMatch(p, lone, JSON.stringify(p));
  });

  it('quotes an unknown alert category without cutting a character in two', () => {
    const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    const p = problemOf(`alerts on x${'\u{1F600}'.repeat(30)}`);
    assert.ok(p.includes('is not an alert category'), p);
    assert.doesNotMatch(p, lone, JSON.stringify(p));
  });
});
