// The text of a notification event (its title, details and the names it gives) is shown on a card
// that asks someone to approve or cancel: characters that make the card read otherwise than it
// is are refused (400), naming the field and the character, so the sender can fix the text.
// - Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) reorder what a
//   reader sees ("Trojan Source", CVE-2021-42574; Unicode's bidi algorithm, UAX #9:
//   https://www.unicode.org/reports/tr9/#Explicit_Directional_Embeddings).
// - Control characters other than tab and line breaks show as nothing or as boxes.
// - Half a surrogate pair is no character: JSON.parse takes "\ud800" as written (RFC 8259 §8.2
//   allows it), and the card would carry it on to Teams.
// Tab and line breaks, and the marks of right-to-left text (U+200E, U+200F), stay accepted.
// The names an event passes on from the directory are not refused but shown without such a
// character (component/intake.directoryNames.test.ts): here, the sender's own texts.

import { strict as assert } from 'node:assert';
import { parseEvent } from '../../src/notifications/events';

const USER = 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1';
const REQUEST = '95c690fb-3eb3-4942-a03f-4524aed6f31e';
const base = { eventId: 'e1', kind: 'roleApproval', target: { userId: USER }, requestId: REQUEST };

/** The event as a sender's JSON body would give it. */
const parsedBody = (json: string) => parseEvent(JSON.parse(json));

describe('characters an event may not show on its card', () => {
  it('refuses a bidirectional override in the title, naming the field and the character', () => {
    const parsed = parseEvent({ ...base, title: 'Approve \u202Etxt.exe' });
    assert.equal(parsed.ok, false);
    assert.ok(!parsed.ok);
    assert.equal(parsed.problems.length, 1, parsed.problems.join(' | '));
    assert.match(parsed.problems[0]!, /^title contains U\+202E \(a bidirectional/);
  });

  for (const c of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']) {
    const code = `U+${c.charCodeAt(0).toString(16).toUpperCase()}`;
    it(`refuses ${code} in details and duration, and leaves it out of a name the card shows`, () => {
      for (const field of ['details', 'duration']) {
        const parsed = parseEvent({ ...base, [field]: `Adele${c} Vance` });
        assert.ok(!parsed.ok, field);
        assert.ok(
          parsed.problems.some((p) => p.startsWith(`${field} contains ${code} `)),
          `${field}: ${parsed.problems.join(' | ')}`,
        );
      }
      for (const field of ['principalName', 'roleName']) {
        const parsed = parseEvent({ ...base, [field]: `Adele${c} Vance` });
        assert.ok(parsed.ok, field);
        assert.ok(parsed.event.text.includes('Adele Vance') && !parsed.event.text.includes(c), field);
        assert.deepEqual(parsed.notices, [
          `${field} holds ${code} (a bidirectional embedding, override or isolate), which the card leaves out.`,
        ]);
      }
    });
  }

  it("leaves it out of a custom task callout's names, naming the field as sent", () => {
    const w = '14879e66-9ea9-48d0-804d-8fea672d0341';
    const t = 'e07dcdb2-0a77-4ee3-8645-3801fbe1cf9f';
    const r = '6e1ec336-8d06-4386-a377-79dbab1a2eb6';
    const parsed = parseEvent({
      eventId: 'e1',
      kind: 'taskCallout',
      target: { userId: USER },
      callout: {
        data: {
          subject: { displayName: 'Adele \u2067Vance' },
          callbackUriPath: `/identityGovernance/lifecycleWorkflows/workflows/${w}/tasks/${t}/taskProcessingResults/${r}/microsoft.graph.identityGovernance.resume`,
        },
      },
    });
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.join(' | '));
    assert.deepEqual(parsed.event.facts, [{ title: 'Subject', value: 'Adele Vance' }]);
    assert.match((parsed.notices ?? []).join(' | '), /^callout\.data\.subject\.displayName holds U\+2067 /);
  });

  it('refuses control characters other than tab and line breaks', () => {
    for (const c of ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u009b']) {
      const parsed = parseEvent({ ...base, title: `A${c}B` });
      assert.ok(!parsed.ok, JSON.stringify(c));
      const code = c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      assert.match(parsed.problems.join(' | '), new RegExp(`^title contains U\\+${code} \\(a control character`));
    }
  });

  it('refuses half a surrogate pair, which JSON.parse takes from an escape', () => {
    for (const [escaped, code] of [
      ['\\ud800', 'D800'],
      ['x\\udfffy', 'DFFF'],
      ['\\ud83d', 'D83D'],
    ] as const) {
      const parsed = parsedBody(JSON.stringify({ ...base, details: 'DETAILS' }).replace('DETAILS', escaped));
      assert.ok(!parsed.ok, escaped);
      assert.match(
        parsed.problems.join(' | '),
        new RegExp(`^details contains U\\+${code} \\(half of a surrogate pair`),
      );
    }
  });

  it('takes tabs, line breaks, right-to-left marks, right-to-left text and whole surrogate pairs', () => {
    const text = 'Line one\r\nLine\ttwo \u200Fשלום\u200E \u0645\u0631\u062D\u0628\u0627 \uD83D\uDE00';
    const parsed = parsedBody(JSON.stringify({ ...base, title: text, details: text, principalName: text }));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.join(' | '));
    assert.equal(parsed.event.title, text);
    assert.ok(parsed.event.text.endsWith(text));
  });
});
