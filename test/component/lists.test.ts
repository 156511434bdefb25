// "my approvals" and "my requests" through the real handler, the Graph reader and the simulated
// tenant: one list card per command, rows newest first, buttons through the exactly-once
// card-action service, the card updated in place, paging with "More" (and Graph's
// @odata.nextLink), and the approver filter's cap explained.
// https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/json-batching

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { Activity } from 'botbuilder';
import { Rig, User } from './botRig';

// Text from Graph sits in TextRuns of RichTextBlocks, which Teams shows as plain text; a fact is
// a bold "title: " run and a value run (cardsTeams.plainText.test.ts).
interface Run {
  text: string;
}
interface Row {
  items: Array<{
    inlines?: Run[];
    items?: Array<{ inlines?: Run[] }>;
    actions?: Array<Record<string, unknown>>;
  }>;
}
const headingOf = (r: Row): string => r.items[0]?.inlines?.[0]?.text ?? '';
const factsOf = (r: Row): Array<{ title: string; value: string }> =>
  (r.items[1]?.items ?? []).map((f) => ({
    title: (f.inlines?.[0]?.text ?? '').replace(/: $/, ''),
    value: f.inlines?.[1]?.text ?? '',
  }));
interface ListContent {
  body: Array<Record<string, unknown>>;
  actions?: Array<{ title: string; data: Record<string, unknown> }>;
}

const contentOf = (a: Partial<Activity> | undefined): ListContent =>
  (a?.attachments?.[0]?.content ?? { body: [] }) as ListContent;
const rowsOf = (c: ListContent): Row[] => c.body.filter((b) => b.type === 'Container') as unknown as Row[];
const headings = (c: ListContent): string[] => rowsOf(c).map(headingOf);
const buttonsOf = (r: Row): Array<Record<string, unknown>> =>
  (r.items.find((i) => (i as { type?: string }).type === 'ActionSet')?.actions ?? []) as Array<Record<string, unknown>>;

describe('my approvals and my requests', () => {
  let dir: string;
  let rig: Rig;
  let megan: User;

  beforeEach(() => {
    dir = Rig.dir();
    rig = new Rig(dir, { silent: true });
    megan = rig.user(0);
  });
  afterEach(async () => {
    await rig.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function list(user: User, text: string): Promise<{ card: Partial<Activity>; content: ListContent }> {
    const { sent } = await rig.message(user, text);
    const card = sent.find((a) => a.attachments?.length)!;
    return { card, content: contentOf(card) };
  }

  async function press(user: User, cardId: string, data: Record<string, unknown>) {
    const value = { action: { type: 'Action.Execute', verb: data.verb, data }, trigger: 'manual' };
    const r = await rig.invoke(user, 'adaptiveCard/action', value, { replyToId: cardId });
    return r.invoke?.body as { statusCode: number; type: string; value: ListContent };
  }

  it('lists every kind waiting for me, newest first, with requester, names, justification, duration and time left; one $batch', async () => {
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
    // PIM's fixed 24-hour window, counted from the request made a minute ago.
    assert.match(facts['Time left'] ?? '', /^23 h (59|58) min left$/);
    assert.deepEqual(
      buttonsOf(teams).map((b) => [b.type, b.title]),
      [
        ['Action.Execute', 'Approve'],
        ['Action.ShowCard', 'Deny'],
      ],
    );
    assert.equal(content.actions?.[0]?.title, 'More');
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

  it('Approve on a row acts once, as me, and the list card changes in place for everyone', async () => {
    const { card, content } = await list(megan, 'my approvals');
    const row = rowsOf(content).find((r) => headingOf(r) === 'PIM for Groups · Finance approvers')!;
    const approve = buttonsOf(row).find((b) => b.title === 'Approve')!.data as Record<string, unknown>;
    const answer = await press(megan, card.id!, approve);
    const after = rowsOf(answer.value).find((r) => headingOf(r) === 'PIM for Groups · Finance approvers')!;
    assert.match(JSON.stringify(after), /Approved by Megan Bowen/);
    assert.equal(buttonsOf(after).length, 0, 'the decided row has no buttons');
    assert.equal(rowsOf(answer.value).filter((r) => buttonsOf(r).length > 0).length, 9, 'the other rows keep theirs');
    assert.equal(rig.tenant.graphRequests().filter((r) => r.method === 'PATCH').length, 1);
    assert.equal(rig.updates.at(-1)?.id, card.id, 'the card was replaced for everyone');
    // The same button again: nothing more reaches Graph.
    await press(megan, card.id!, approve);
    assert.equal(rig.tenant.graphRequests().filter((r) => r.method === 'PATCH').length, 1);
  });

  it('a double-click on a row of a request whose next stage is mine too decides one stage only', async () => {
    // The seed's Finance reports access request: Megan or Lynne approve its first stage, Lynne alone
    // its second, which starts when the first is approved; its approval read names Lynne on both
    // (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0).
    const lynne = rig.user(5);
    const { card, content } = await list(lynne, 'my approvals');
    const row = rowsOf(content).find((r) => headingOf(r) === 'Access package · Finance reports')!;
    const approve = buttonsOf(row).find((b) => b.title === 'Approve')!.data as Record<string, unknown>;
    await press(lynne, card.id!, approve);
    const second = await press(lynne, card.id!, approve);
    assert.equal(rig.tenant.graphRequests().filter((r) => r.method === 'PATCH').length, 1, 'one stage decided');
    assert.equal(rig.tenant.getAccessRequest('7999249e-249e-7999-9e24-99799e249984')?.state, 'pendingApproval');
    const after = rowsOf(second.value).find((r) => headingOf(r) === 'Access package · Finance reports')!;
    assert.match(JSON.stringify(after), /Approved by Lynne Robbins/);
  });

  it('a row of a fresh list decides my next stage after I approved the one before (the list shows the request waiting for me again)', async () => {
    // Lynne approves the Finance reports request's first stage from one list, then asks again: the
    // approver filter lists the request once more, now for its second stage, which is hers alone
    // (https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0,
    // https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0). A row
    // of that second list was posted after her first decision: its Approve decides the second stage.
    const lynne = rig.user(5);
    const heading = 'Access package · Finance reports';
    const first = await list(lynne, 'my approvals');
    const row = rowsOf(first.content).find((r) => headingOf(r) === heading)!;
    await press(
      lynne,
      first.card.id!,
      buttonsOf(row).find((b) => b.title === 'Approve')!.data as Record<string, unknown>,
    );
    // She asks again a minute later (the first stage's reviewedDateTime is a minute before the read).
    const decided = rig.tenant.getApproval('7999249e-249e-7999-9e24-99799e249984')!.stages[0]!;
    decided.reviewedDateTime = new Date(Date.parse(decided.reviewedDateTime!) - 60_000).toISOString();
    const again = await list(lynne, 'my approvals');
    const fresh = rowsOf(again.content).find((r) => headingOf(r) === heading);
    assert.ok(fresh, `the request waits for Lynne again: ${headings(again.content).join(', ')}`);
    const approve = buttonsOf(fresh).find((b) => b.title === 'Approve')!.data as Record<string, unknown>;
    const answer = await press(lynne, again.card.id!, approve);
    assert.equal(
      rig.tenant.graphRequests().filter((r) => r.method === 'PATCH').length,
      2,
      JSON.stringify(answer.value),
    );
    assert.equal(rig.tenant.getAccessRequest('7999249e-249e-7999-9e24-99799e249984')?.state, 'delivered');
  });

  it('Deny on a row sends the justification typed in the card', async () => {
    const { card, content } = await list(megan, 'my approvals');
    const row = rowsOf(content).find((r) => headingOf(r) === 'PIM role · Global Administrator')!;
    const deny = buttonsOf(row).find((b) => b.title === 'Deny') as {
      card: { body: Array<{ id: string }>; actions: Array<{ data: Record<string, unknown> }> };
    };
    const inputId = deny.card.body[0]!.id;
    const answer = await press(megan, card.id!, { ...deny.card.actions[0]!.data, [inputId]: 'Use the standing role' });
    assert.match(JSON.stringify(answer.value), /Denied by Megan Bowen/);
    const patch = rig.tenant.graphRequests().find((r) => r.method === 'PATCH')!;
    assert.deepEqual(JSON.parse(patch.body ?? '{}'), { reviewResult: 'Deny', justification: 'Use the standing role' });
  });

  it('More shows the next page and binds its rows; a row no longer shown cannot act through this card', async () => {
    const { card, content } = await list(megan, 'my approvals');
    const first = buttonsOf(rowsOf(content)[0]!).find((b) => b.title === 'Approve')!.data as Record<string, unknown>;
    const page2 = await press(megan, card.id!, { verb: 'governance.list', list: 'approvals' });
    // The seed's eight oldest, its PIM role extension and renewal requests last.
    assert.equal(headings(page2.value).length, 7);
    assert.equal(page2.value.actions?.length ?? 0, 0, 'no more after the last page');
    const row = rowsOf(page2.value)[0]!;
    const approve = buttonsOf(row).find((b) => b.title === 'Approve')!.data as Record<string, unknown>;
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
    while (value.actions?.length) {
      value = (await press(megan, card.id!, { verb: 'governance.list', list: 'approvals' })).value;
      pages++;
    }
    const followed = rig.tenant.graphRequests().filter((r) => /(%24|\$)skiptoken/.test(r.query));
    assert.ok(followed.length >= 2, 'the access package pages were followed');
    // 50 capped role rows + 4 groups + 56 access packages.
    assert.equal(pages, Math.ceil((50 + 4 + 56) / 10));
  });

  it('my requests: the user’s own pending requests, each with Cancel that works from the list', async () => {
    const diego = rig.user(6);
    const { card, content } = await list(diego, 'my requests');
    // His two PIM for Groups requests and his access package request. His PIM role requests are not
    // listed: filterByCurrentUser on role requests asks a PIM read role he lacks
    // (https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0),
    // and the card says that part could not be listed instead of hiding it.
    assert.equal(headings(content).length, 3);
    assert.match(JSON.stringify(content), /PIM role requests could not be listed: not permitted/);
    // It names the read's roles, not the rights to cancel a request (a different question).
    assert.match(
      JSON.stringify(content),
      /lists them only to someone with one of the roles Global Reader, Security Operator, Security Reader, Security Administrator or Privileged Role Administrator/,
    );
    assert.doesNotMatch(JSON.stringify(content), /To cancel your own/);
    const row = rowsOf(content).find((r) => headingOf(r) === 'Access package · Contoso sales portal')!;
    const cancel = buttonsOf(row);
    assert.deepEqual(
      cancel.map((b) => b.title),
      ['Cancel'],
    );
    const answer = await press(diego, card.id!, cancel[0]!.data as Record<string, unknown>);
    assert.match(JSON.stringify(answer.value), /Cancelled by Diego Siciliani/);
    assert.equal(rig.tenant.getAccessRequest(rig.seed.selfService.accessRequestIds[0]!)?.state, 'canceled');
  });

  it('my requests: with the PIM overview’s reading (no read role for one’s own), his role requests are listed too', async () => {
    rig.tenant.setUnconfirmed({ pimRoleMineRole: 'none' });
    const { content } = await list(rig.user(6), 'my requests');
    assert.equal(headings(content).length, 5);
    assert.doesNotMatch(JSON.stringify(content), /could not be listed/);
  });
});
