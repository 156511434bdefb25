// A list card stays under the 28 KB Teams takes for a card (413 MessageSizeTooBig past it) even
// when text from Graph is one long grapheme: a letter followed by hundreds of combining marks is a
// single user-perceived character (https://www.unicode.org/reports/tr29/) of over a kilobyte, and a
// justification is free text the requester types. Cutting by graphemes alone never shortens it.
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/format-your-bot-messages

import { strict as assert } from 'node:assert';
import { listCard } from '../../src/bot/listCards';
import { rowOf } from '../../src/graph/myWorkRows';
import type { WorkItem } from '../../src/domain/myWork';
import type { ListSnapshot } from '../../src/state/listCards';

const LIMIT = 28 * 1024;
/** "e" and U+1D165 MUSICAL SYMBOL COMBINING STEM (a nonspacing mark, four UTF-8 bytes) 400 times:
 * Graph text is kept to 300 code points, one grapheme of about 1.2 KB. */
const MARKED = `e${'\u{1D165}'.repeat(400)}`;

function page(fields: { justification?: string; name?: string }): ListSnapshot<WorkItem> {
  const items = Array.from({ length: 10 }, (_, i) =>
    rowOf(
      'access',
      {
        id: `7999249e-249e-4999-9e24-${String(i).padStart(12, '0')}`,
        createdDateTime: '2026-01-01T00:00:00Z',
        justification: fields.justification ?? 'Quarterly audit',
        requestor: { displayName: fields.name ?? 'Adele Vance', objectId: '5f1b8a9e-0000-4000-8000-000000000001' },
        accessPackage: { displayName: fields.name ?? 'Sales' },
      },
      'approvals',
    ),
  ).filter((i): i is WorkItem => i !== null);
  return {
    readAt: 0,
    list: 'approvals',
    userId: 'megan',
    items,
    offset: 0,
    next: {},
    capped: [],
    problems: [],
    parts: { read: ['role', 'group', 'access'], failed: [] },
    outcomes: {},
  };
}

const bytes = (r: { attachment: unknown; summary: string }): number =>
  Buffer.byteLength(JSON.stringify({ type: 'message', attachments: [r.attachment], summary: r.summary }), 'utf8');

describe('cards in Teams: a list card whose text is one long grapheme', () => {
  it('ten justifications of a letter and hundreds of combining marks are cut to fit', () => {
    const card = listCard(page({ justification: MARKED }), Date.UTC(2026, 0, 1));
    assert.equal(JSON.stringify(card.attachment).includes('e\u{1D165}'), true, 'the justification is still shown');
    assert.ok(bytes(card) <= LIMIT, `${bytes(card)} bytes > ${LIMIT}`);
  });

  it('names and justifications of such text alike', () => {
    const card = listCard(page({ justification: MARKED, name: MARKED }), Date.UTC(2026, 0, 1));
    assert.ok(bytes(card) <= LIMIT, `${bytes(card)} bytes > ${LIMIT}`);
  });

  it('an outcome naming such a name is cut too', () => {
    const s = page({ name: MARKED });
    const outcomes = Object.fromEntries(
      s.items.map((i) => [
        i.requestId,
        { text: `Approved by ${MARKED.slice(0, 599)} at 10:00 UTC`, style: 'good' as const },
      ]),
    );
    const card = listCard({ ...s, outcomes }, Date.UTC(2026, 0, 1));
    assert.ok(bytes(card) <= LIMIT, `${bytes(card)} bytes > ${LIMIT}`);
    assert.match(JSON.stringify(card.attachment), /at 10:00 UTC/);
  });
});
