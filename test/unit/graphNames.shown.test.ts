// The names a card shows from Graph's reads (a list row's requester and what was asked for, the
// person a result card says decided) are the directory's free text: a user's, a group's, an access
// package's or a role's displayName may hold a bidirectional embedding, override or isolate
// (U+202A-U+202E, U+2066-U+2069), which reorders what the reader sees ("Trojan Source",
// CVE-2021-42574; https://www.unicode.org/reports/tr9/#Explicit_Directional_Embeddings), or a control
// character. They are shown as the intake shows the names an event passes on (README "POST
// /api/notifications"): such characters left out, half a surrogate pair as U+FFFD, and a name is
// never cut inside a character. A user's displayName has up to 256 characters
// (https://learn.microsoft.com/en-us/graph/api/resources/user).

import { strict as assert } from 'node:assert';
import { listCard } from '../../src/bot/listCards';
import { personAt } from '../../src/domain/itemFields';
import type { WorkItem } from '../../src/domain/myWork';
import { rowOf } from '../../src/graph/myWorkRows';

const ID = '95c690fb-3eb3-4942-a03f-4524aed6f31e';
/** Whether `text` holds half a surrogate pair (a name cut inside a character). */
const halfPair = (text: string): boolean => [...text].some((c) => c.length === 1 && c >= '\ud800' && c <= '\udfff');

describe('names read from Graph, as a card shows them', () => {
  it("leaves bidirectional controls and control characters out of a PIM row's names", () => {
    for (const kind of ['role', 'group'] as const) {
      const row = rowOf(
        kind,
        {
          id: ID,
          principal: { displayName: 'Adele\u202E Vance' },
          roleDefinition: { displayName: 'Global\u2066 Reader\u0007' },
          group: { displayName: 'Sales\u202B team\u202C' },
          justification: 'Quarterly close',
        },
        'approvals',
      );
      assert.ok(row);
      assert.equal(row.requester, 'Adele Vance');
      assert.equal(row.what, kind === 'role' ? 'Global Reader' : 'Sales team');
    }
  });

  it("leaves them out of an access package row's names, half a surrogate pair shown as U+FFFD", () => {
    const row = rowOf(
      'access',
      {
        id: ID,
        requestor: { displayName: '\u2067אדל ואנס\u2069', objectId: ID },
        accessPackage: { displayName: 'Marketing\ud800 \u0085kit' },
      },
      'requests',
    );
    assert.ok(row);
    assert.equal(row.requester, 'אדל ואנס');
    assert.equal(row.what, 'Marketing\uFFFD kit');
  });

  // A justification is the requester's own text, returned as written by the list reads
  // (https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentschedulerequest,
  // https://learn.microsoft.com/en-us/graph/api/resources/accesspackageassignmentrequest): the list
  // card shows it as it shows the names beside it; tabs and line breaks stay.
  it("leaves them out of a row's justification, up to the list card", () => {
    const written = 'Quarter\u202E close\u2066 (Finance)\u2069\u0007\u009b\nSee ticket\t42';
    const rows = (['role', 'group', 'access'] as const).map((kind) =>
      rowOf(kind, { id: ID, justification: written, requestor: { objectId: ID } }, 'approvals'),
    );
    for (const row of rows) assert.equal(row?.justification, 'Quarter close (Finance)\nSee ticket\t42');
    const items = rows.filter((r): r is WorkItem => r !== null);
    const card = listCard(
      { list: 'approvals', userId: 'u', items, offset: 0, next: {}, capped: [], problems: [], outcomes: {} },
      Date.UTC(2026, 2, 4),
    );
    const shown = JSON.stringify(card.attachment.content);
    assert.match(shown, /Quarter close \(Finance\)/);
    assert.doesNotMatch(shown, /[\u202a-\u202e\u2066-\u2069\u0080-\u009f]|\\u000[0-8]/);
  });

  it('shows a name of only such characters as no name', () => {
    const row = rowOf('role', { id: ID, principal: { displayName: '\u202E\u202C' } }, 'approvals');
    assert.equal(row?.requester, null);
  });

  it('never cuts a long name inside a character', () => {
    const long = `a${'\u{1F600}'.repeat(255)}`;
    const row = rowOf('group', { id: ID, group: { displayName: long } }, 'approvals');
    assert.ok(row?.what && !halfPair(row.what), JSON.stringify(row?.what));
    const who = personAt({ decidedBy: { user: { displayName: long } } }, 'decidedBy');
    assert.ok(who && !halfPair(who), JSON.stringify(who));
  });

  it('leaves them out of the person a result card names as the decider', () => {
    assert.equal(personAt({ reviewedBy: [{ displayName: 'Megan\u202D Bowen\u001b' }] }, 'reviewedBy'), 'Megan Bowen');
    assert.equal(personAt({ decidedBy: { user: { displayName: '\u2068Alex Wilber' } } }, 'decidedBy'), 'Alex Wilber');
    assert.equal(personAt({ decidedBy: { user: { displayName: '\u2069' } } }, 'decidedBy'), null);
  });
});
