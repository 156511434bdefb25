// "my requests" reads the user's own requests one state at a time (eleven `eq` reads: neither `or`
// nor `in` is documented for these filters, myWorkSources.ts), and every read of a list travels in
// one JSON batch: the first pages on the command, and Graph's next pages (@odata.nextLink) on More.
// A nextLink is a URL under the version root like any other, and a batch holds up to 20 of them
// (https://learn.microsoft.com/en-us/graph/json-batching). The next pages went one GET each.
// https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import { SOURCES } from '../../src/graph/myWorkSources';
import { Rig } from './botRig';
import { factsOf, headingOf, listSession, pageButtons, rowsOf } from './listSession';

describe('my requests: Graph round trips', () => {
  let rig: Rig;
  const { list, press } = listSession((r) => (rig = r));

  /** The requests that reached Graph since the log was cleared, and those that were round trips. */
  const traffic = () => {
    const all = rig.tenant.graphRequests();
    return { reads: all.filter((r) => r.inBatch), trips: all.filter((r) => !r.inBatch) };
  };

  // The PIM role filter's page lists $select: its reads ask only for what a row shows, and the row
  // shows what it did (the simulated tenant leaves out every property $select does not name).
  // https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
  it('the command: one round trip, the $batch carrying its eleven reads, the role ones with $select', async () => {
    rig.tenant.setUnconfirmed({ pimRoleMineRole: 'none' });
    rig.tenant.addRoleRequest({
      id: '95c690fb-3eb3-4942-a03f-4524aed6f3a1',
      status: 'Granted',
      roleName: 'Reports Reader',
      principal: 'Diego Siciliani',
      justification: 'Quarter-end reports',
      duration: 'PT8H',
    });
    rig.tenant.clearLog();
    const { content } = await list(rig.user(6), 'my requests');
    assert.doesNotMatch(JSON.stringify(content), /could not be listed/);
    const { reads, trips } = traffic();
    assert.deepEqual(
      trips.map((r) => `${r.method} ${r.path}`),
      ['POST /v1.0/$batch'],
    );
    assert.equal(reads.length, SOURCES.requests.length);
    assert.equal(reads.length, 11);
    const roleReads = reads.filter((r) => r.path.includes('roleAssignmentScheduleRequests'));
    assert.equal(roleReads.length, 4);
    for (const r of roleReads) assert.ok(new URLSearchParams(r.query).get('$select'), r.query);
    const row = rowsOf(content).find((r) => headingOf(r) === 'PIM role · Reports Reader');
    assert.ok(row, 'the role request is listed');
    const facts = Object.fromEntries(factsOf(row).map((f) => [f.title, f.value]));
    assert.match(JSON.stringify(facts), /Quarter-end reports/);
    assert.match(JSON.stringify(facts), /8 hours/);
  });

  it('More: every next page in one round trip, not one GET per nextLink', async () => {
    // More than a page (25 in the simulated tenant) of his own requests in each cancellable state:
    // each state's first page comes with a nextLink.
    const states = [
      ['submitted', 'Accepted'],
      ['pendingApproval', 'PendingApproval'],
      ['scheduled', 'PendingNotBefore'],
    ] as const;
    let n = 0;
    for (const [state, status] of states)
      for (let i = 0; i < 26; i++)
        rig.tenant.addAccessRequest({
          id: `7999249e-249e-7999-9e24-${(++n).toString(16).padStart(12, '0')}`,
          state,
          status,
          accessPackageName: `Package ${n}`,
          requestor: 'Diego Siciliani',
          requestType: 'userAdd',
          ageMinutes: n,
        });
    const diego = rig.user(6);
    const { card, content } = await list(diego, 'my requests');
    let value = content;
    let trips = 0;
    let followed = 0;
    let pages = 1;
    while (pageButtons(value).some((a) => a.title === 'More')) {
      rig.tenant.clearLog();
      value = (await press(diego, card.id!, { verb: 'governance.list', list: 'requests' })).value;
      pages++;
      const t = traffic();
      if (t.reads.length + t.trips.length === 0) continue;
      trips += t.trips.length;
      followed += t.reads.filter((r) => /(%24|\$)skiptoken/.test(r.query)).length;
      assert.deepEqual(
        t.trips.map((r) => `${r.method} ${r.path}`),
        ['POST /v1.0/$batch'],
        'the next pages in one batch',
      );
    }
    assert.equal(followed, 3, 'each state’s next page was read');
    assert.equal(trips, 1, 'one round trip for the three next pages');
    // 78 added, his 2 seeded access package requests and 2 PIM for Groups requests.
    assert.equal(pages, Math.ceil((78 + 2 + 2) / 10));
  });
});
