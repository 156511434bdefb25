// A typed approve or deny names what it decided, as "my approvals" and the notification card do:
// the role, group or access package asked for and who asked, from the read of the request the
// decision makes before its write (the approver's own filterByCurrentUser(on='approver'), now with
// the relationships "my approvals" expands): no Graph call more than before.
// https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
//   ("This method supports the $select, $filter, and $expand OData query parameters")
// https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { Rig } from './botRig';

const text = (x: unknown): string => JSON.stringify(x);

describe('a typed decision names what it decided', () => {
  let dir: string;
  let r: Rig | null = null;
  beforeEach(() => {
    dir = Rig.dir();
  });
  afterEach(async () => {
    await r?.close();
    r = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const cases = [
    { command: 'approve role-request', key: 'roleApprovalId', title: 'Role', what: 'Teams Administrator' },
    { command: 'approve group-request', key: 'groupApprovalId', title: 'Group', what: 'Payroll admins' },
    { command: 'deny access-request', key: 'accessApprovalId', title: 'Access package', what: 'Finance reports' },
  ] as const;
  for (const c of cases) {
    it(`${c.command}: the answer names the ${c.title.toLowerCase()} and the requester, with one read of the request`, async () => {
      r = new Rig(dir, { silent: true });
      const id = r.seed.examples[c.key];
      const { sent } = await r.message(r.user(0), `${c.command} ${id} Checked the ticket`);
      const card = text(sent);
      assert.match(card, /your stage of the/);
      assert.ok(card.includes(`"${c.title}: "`), card);
      assert.ok(card.includes(`"${c.what}"`), card);
      assert.ok(card.includes('"Requested by: "'), card);
      assert.ok(card.includes('"Patti Fernandez"'), card);
      // The names come from the read the decision made anyway: one read of the request, no other.
      const reads = r.tenant.graphRequests().filter((q) => q.method === 'GET' && q.path.includes("(on='approver')"));
      assert.equal(reads.length, 1, text(reads.map((q) => q.path)));
    });
  }
});
