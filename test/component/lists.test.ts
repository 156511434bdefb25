// "my approvals" through the real handler, the Graph reader and the simulated tenant: one list card
// of every kind waiting for me, rows newest first, read in one $batch (a throttled item read again),
// paging with "More" (and Graph's @odata.nextLink), and the approver filter's cap explained.
// https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/json-batching

import { strict as assert } from 'node:assert';
import { Rig, User } from './botRig';
import { buttonsOf, factsOf, headings, rowsOf, listSession, nextPageReads, pageButtons } from './listSession';
import { pressOf } from '../fixtures/pressedData';

describe('my approvals: the list card and its pages', () => {
  let rig: Rig;
  let megan: User;
  const { list, press } = listSession((r) => {
    rig = r;
    megan = rig.user(0);
  });

  it('lists every kind waiting for me, newest first, with requester, names, justification, duration and when its approval time ends; one $batch', async () => {
    rig.tenant.addRoleRequest({
      id: '95c690fb-3eb3-4942-a03f-4524aed6f3ff',
      status: 'PendingApproval',
      roleName: 'Exchange Administrator',
      principal: 'Isaiah Langer',
      justification: 'Mailbox move',
      duration: 'PT2H',
      approvers: ['Megan Bowen'],
      ageMinutes: 1,
    });
    const { card, content } = await list(megan, 'my approvals');
    const h = headings(content);
    assert.equal(h.length, 10, 'one page of ten');
    assert.deepEqual(h.slice(0, 2), ['PIM role · Exchange Administrator', 'Access package · Contoso sales portal']);
    const requested = rowsOf(content).map((r) => factsOf(r).find((f) => f.title === 'Requested')?.value ?? '');
    assert.deepEqual(requested, [...requested].sort().reverse(), 'newest first');
    const teams = rowsOf(content)[0]!;
    const facts = Object.fromEntries(factsOf(teams).map((f) => [f.title, f.value]));
    assert.equal(facts['Requested by'], 'Isaiah Langer');
    assert.equal(facts.Justification, 'Mailbox move');
    assert.equal(facts.Duration, '2 hours');
    // PIM's fixed 24-hour window, counted from the request made a minute ago, as the moment it
    // ends (a time left would go stale in the chat). It says ends for what: shown under
    // "Duration", a bare "Ends" read as the end of the assignment asked for.
    assert.equal(facts['Time left to decide'], undefined);
    const requestedAt = Date.parse((facts.Requested ?? '').replace(' UTC', 'Z').replace(' ', 'T'));
    const ends = new Date(requestedAt + 24 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    assert.equal(facts['Approval time ends'], `${ends} UTC`);
    assert.deepEqual(
      buttonsOf(teams).map((b) => [b.type, b.title]),
      // A PIM approval's Approve asks why first, as its Deny does: PIM's default policy requires
      // the approver's justification
      // (https://learn.microsoft.com/en-us/graph/api/unifiedrolemanagementpolicy-list-rules?view=graph-rest-1.0).
      // A list row asks it once, in one box that Approve and Deny both send.
      [['Action.ShowCard', 'Approve or deny']],
    );
    assert.equal(pageButtons(content)[0]?.title, 'More');
    // Two of them are the seed's PIM role extension and renewal requests, listed without buttons.
    assert.match(String(card.summary), /Waiting for your approval: 18 items/);
    // The tenant logs the batch and the three requests it ran: one round trip, three reads.
    const reads = rig.tenant.graphRequests().map((r) => `${r.method} ${r.path.split('/filterByCurrentUser')[0]}`);
    assert.deepEqual(reads, [
      'GET /v1.0/roleManagement/directory/roleAssignmentScheduleRequests',
      'GET /v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests',
      'GET /v1.0/identityGovernance/entitlementManagement/assignmentRequests',
      'POST /v1.0/$batch',
    ]);
  });

  it('a list read throttled inside the $batch is read again after its Retry-After, not shown as failed', async () => {
    // Graph answers the batch 200 and throttles items on their own (429 with Retry-After).
    // https://learn.microsoft.com/graph/json-batching#handling-throttling-in-batches
    rig.tenant.injectFault({
      method: 'GET',
      pathIncludes: 'group/assignmentScheduleRequests/filterByCurrentUser',
      status: 429,
      retryAfter: '1',
    });
    const { content } = await list(megan, 'my approvals');
    assert.ok(
      headings(content).some((h) => h.startsWith('PIM for Groups')),
      `the group approvals are listed: ${headings(content).join(' | ')}`,
    );
    const groupReads = rig.tenant
      .graphRequests()
      .filter((r) => r.path.includes('group/assignmentScheduleRequests/filterByCurrentUser'));
    assert.deepEqual(
      groupReads.map((r) => r.status),
      [429, 200],
      'throttled in the batch, then read alone',
    );
  });

  it('More shows the next page and binds its rows; a row no longer shown cannot act through this card', async () => {
    const { card, content } = await list(megan, 'my approvals');
    const first = buttonsOf(rowsOf(content)[0]!)
      .flatMap(pressOf)
      .find((b) => b.title === 'Approve')!.data as Record<string, unknown>;
    const page2 = await press(megan, card.id!, { verb: 'governance.list', list: 'approvals' });
    // The seed's eight oldest, its PIM role extension and renewal requests last.
    assert.equal(headings(page2.value).length, 7);
    assert.deepEqual(
      pageButtons(page2.value).map((a) => a.title),
      ['Previous'],
      'no More after the last page, only the way back',
    );
    const row = rowsOf(page2.value)[0]!;
    const approve = buttonsOf(row)
      .flatMap(pressOf)
      .find((b) => b.title === 'Approve')!.data as Record<string, unknown>;
    const answer = await press(megan, card.id!, approve);
    assert.match(JSON.stringify(answer.value), /Approved by Megan Bowen/);
    const stale = await press(megan, card.id!, first);
    assert.equal(stale.statusCode, 400);
    assert.equal(rig.tenant.graphRequests().filter((r) => r.method === 'PATCH').length, 1);
  });

  it('follows @odata.nextLink on More, and explains the approver filter’s cap of 50', async () => {
    for (let i = 0; i < 52; i++) {
      const n = (0x100 + i).toString(16);
      rig.tenant.addRoleRequest({
        id: `95c690fb-3eb3-4942-a03f-4524aed6f${n}`,
        status: 'PendingApproval',
        roleName: 'Reports Reader',
        principal: 'Adele Vance',
        justification: 'Bulk',
        duration: 'PT1H',
        approvers: ['Megan Bowen'],
        ageMinutes: 200 + i,
      });
      rig.tenant.addAccessRequest({
        id: `7999249e-249e-7999-9e24-99799e249${n}`,
        state: 'pendingApproval',
        status: 'PendingApproval',
        accessPackageName: 'Finance reports',
        requestor: 'Adele Vance',
        requestType: 'userAdd',
        approvers: ['Megan Bowen'],
        ageMinutes: 100 + i,
      });
    }
    const { card, content } = await list(megan, 'my approvals');
    assert.match(JSON.stringify(content), /PIM role approvals: Microsoft Graph lists at most 50 at a time/);
    let pages = 1;
    let value = content;
    while (pageButtons(value).some((a) => a.title === 'More')) {
      value = (await press(megan, card.id!, { verb: 'governance.list', list: 'approvals' })).value;
      pages++;
    }
    const followed = nextPageReads(rig);
    assert.ok(followed.length >= 2, 'the access package pages were followed');
    // 50 capped role rows + 4 groups + 56 access packages.
    assert.equal(pages, Math.ceil((50 + 4 + 56) / 10));
  });
});
