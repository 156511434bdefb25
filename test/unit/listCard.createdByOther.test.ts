// Which "my requests" rows lose Cancel for having been created by someone else: a PIM role or group
// request whose creator (createdBy.user.id) is not the list's owner, compared without case as
// Entra object ids are. A row kept before rows carried their creator, one the owner created, an
// access package request (which names a requestor, not a creator) and a "my approvals" row keep
// their buttons. Graph's self-service is for "a role assignment request they created":
// https://learn.microsoft.com/en-us/graph/api/resources/privilegedidentitymanagementv3-overview?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import { listCard } from '../../src/bot/listCards';
import type { ListName, WorkItem, WorkKind } from '../../src/domain/myWork';
import type { ListSnapshot } from '../../src/state/listCards';

const OWNER = 'A1B2C3D4-1111-4AAA-8BBB-000000000006';
const ADMIN = 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1';

const item = (n: number, kind: WorkKind, createdById?: string | null): WorkItem => ({
  kind,
  requestId: `95c690fb-3eb3-4942-a03f-4524aed6f3${n.toString(16).padStart(2, '0')}`,
  requester: null,
  what: `Request ${n}`,
  justification: null,
  duration: null,
  createdAt: `2026-11-29T10:${String(59 - n).padStart(2, '0')}:00Z`,
  expiresAt: null,
  ...(createdById !== undefined ? { createdById } : {}),
});

interface ShownRow {
  heading: string;
  actions: number;
  text: string;
}

/** The rows of the card of `items`, by heading: how many buttons each has, and its text. */
function rowsShown(list: ListName, items: WorkItem[]): Map<string, ShownRow> {
  const s: ListSnapshot<WorkItem> = {
    list,
    userId: OWNER,
    items,
    offset: 0,
    next: {},
    capped: [],
    problems: [],
    outcomes: {},
  };
  const body = (listCard(s, Date.parse('2026-11-29T12:00:00Z')).attachment.content as { body: unknown[] }).body;
  const rows = body.filter((b) => (b as { type?: string }).type === 'Container') as Array<{
    items: Array<{ type?: string; inlines?: Array<{ text: string }>; actions?: unknown[] }>;
  }>;
  return new Map(
    rows.map((r) => {
      const heading = r.items[0]?.inlines?.[0]?.text ?? '';
      const actions = r.items.find((i) => i.type === 'ActionSet')?.actions?.length ?? 0;
      return [heading.replace(/^.* · /, ''), { heading, actions, text: JSON.stringify(r) }];
    }),
  );
}

describe('list card: a request someone else created has no Cancel in "my requests"', () => {
  it('leaves Cancel off only PIM rows created by another', () => {
    const rows = rowsShown('requests', [
      item(1, 'role', ADMIN),
      item(2, 'group', ADMIN),
      item(3, 'role', OWNER.toLowerCase()),
      item(4, 'role'),
      item(5, 'group', null),
      item(6, 'access', ADMIN),
    ]);
    for (const n of [1, 2]) {
      const row = rows.get(`Request ${n}`)!;
      assert.equal(row.actions, 0, row.heading);
      assert.match(row.text, /Created for you by someone else \(an administrator\)/);
    }
    for (const n of [3, 4, 5, 6]) {
      const row = rows.get(`Request ${n}`)!;
      assert.equal(row.actions, 1, `${row.heading} keeps Cancel`);
      assert.doesNotMatch(row.text, /someone else/);
    }
    assert.match(rows.get('Request 2')!.text, /Groups > the group > Assignments/);
  });

  it('leaves "my approvals" rows as they are', () => {
    const rows = rowsShown('approvals', [item(7, 'group', ADMIN)]);
    const row = rows.get('Request 7')!;
    assert.ok(row.actions > 0, row.heading);
    assert.doesNotMatch(row.text, /someone else/);
  });
});
