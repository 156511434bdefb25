// The outside contract (../shared/contract.md), proven over real HTTP: the server runs as in
// production with inbound JWT validation on; Graph and sign-in are the simulated tenant over HTTPS.

import { strict as assert } from 'node:assert';
import {
  BOT_APP_ID,
  BotProcess,
  RecordedCall,
  Who,
  World,
  cardText,
  invoke,
  isCard,
  message,
  post,
  startBot,
  startWorld,
  userOf,
} from './harness';

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe('contract over HTTP (inbound JWT validation on)', function () {
  this.timeout(60_000);
  let world: World;
  let bot: BotProcess;
  let admin: Who;
  let requester: Who;
  let noConsent: Who;
  let mfaUser: Who;

  before(async () => {
    world = await startWorld();
    bot = await startBot(world, world.botEnv());
    admin = userOf(world.seed, 0);
    requester = userOf(world.seed, 1);
    noConsent = userOf(world.seed, 2);
    mfaUser = userOf(world.seed, 3);
  });

  after(async () => {
    await bot?.stop();
    await world?.close();
  });

  beforeEach(() => {
    world.tenant.load(world.seed);
    world.tenant.clearFaults();
    world.tenant.clearLog();
  });

  const messagesTo = (conversationId: string, after = 0): RecordedCall[] =>
    world.calls.slice(after).filter((c) => c.conversationId === conversationId && c.activity.type === 'message');

  /** Sends a message and returns the next message the bot posts to that conversation. */
  async function say(
    from: Who,
    text: string,
    kind: 'personal' | 'groupChat' | 'channel' = 'personal',
    conversationId?: string,
  ) {
    const activity = message(world, from, text, kind, conversationId);
    const mark = world.calls.length;
    const res = await post(world, bot, activity);
    assert.equal(res.status, 200, res.body);
    const conv = (activity.conversation as { id: string }).id;
    const reply = await world.waitFor(
      (c) => world.calls.indexOf(c) >= mark && c.conversationId === conv && c.activity.type === 'message',
    );
    return { activity, reply, conv, mark };
  }

  async function exchange(from: Who, oauth: RecordedCall, token?: string, conversationId?: string) {
    const content = (
      oauth.activity.attachments as Array<{
        content: { tokenExchangeResource: { id: string }; connectionName: string };
      }>
    )[0]!.content;
    const sso = token ?? world.tenant.issueSsoToken(from.aadObjectId, world.seed.app.clientId);
    const inv = invoke(
      world,
      from,
      'signin/tokenExchange',
      { id: content.tokenExchangeResource.id, connectionName: content.connectionName, token: sso },
      conversationId ?? oauth.conversationId,
    );
    return post(world, bot, inv);
  }

  /** Signs the user in by the real Teams SSO path; returns the result of the command that asked. */
  async function run(from: Who, text: string, kind: 'personal' | 'groupChat' | 'channel' = 'personal') {
    const first = await say(from, text, kind);
    if (!isCard(first.reply, 'application/vnd.microsoft.card.oauth')) return first.reply;
    const mark = world.calls.length;
    const res = await exchange(from, first.reply);
    assert.equal(res.status, 200, res.body);
    return world.waitFor(
      (c) => world.calls.indexOf(c) >= mark && c.conversationId === first.conv && c.activity.type === 'message',
    );
  }

  async function signOut(from: Who) {
    const { reply } = await say(from, 'sign out');
    assert.match(cardText(reply), /Signed out/);
  }

  const audits = () => bot.lines().filter((l) => l.event === 'governance.action');

  it('answers /healthz', async () => {
    assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
  });

  it('rejects unsigned, forged, expired and wrong-audience activities with 401 and does nothing', async () => {
    const mark = world.calls.length;
    for (const mode of ['none', 'forged', 'expired', 'wrongAudience'] as const) {
      const res = await post(world, bot, message(world, admin, 'help'), mode);
      assert.equal(res.status, 401, `${mode}: ${res.body}`);
    }
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(world.calls.length, mark);
  });

  it('signs in with Teams SSO on the first command, then runs it with the exchanged token', async () => {
    await signOut(admin);
    const ex = world.seed.examples;
    const first = await say(admin, `cancel role-request ${ex.roleRequestId}`);
    assert.ok(isCard(first.reply, 'application/vnd.microsoft.card.oauth'), 'an OAuth card first');
    const oauth = (first.reply.activity.attachments as Array<{ content: Record<string, unknown> }>)[0]!.content;
    const resource = oauth.tokenExchangeResource as { id: string; uri: string };
    assert.ok(resource.id.length > 10);
    assert.equal(typeof oauth.connectionName, 'string');
    // The token-exchange URI is the SSO app's Application ID URI (the manifest's
    // webApplicationInfo.resource); the button opens the bot's own sign-in page, never nothing.
    // https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code
    assert.equal(resource.uri, `api://botid-${BOT_APP_ID}`);
    const [button] = oauth.buttons as Array<{ type: string; value: string }>;
    assert.equal(button?.type, 'signin');
    assert.equal(button?.value, `${bot.url}/auth/start?s=${resource.id}`);
    assert.ok(typeof first.reply.activity.summary === 'string' && first.reply.activity.summary.length > 0);
    assert.equal(world.tenant.graphRequests().length, 0, 'nothing reaches Graph before sign-in');

    const before = world.tenant.tokenRequests;
    const mark = world.calls.length;
    const res = await exchange(admin, first.reply);
    assert.equal(res.status, 200);
    const result = await world.waitFor(
      (c) => world.calls.indexOf(c) >= mark && c.conversationId === first.conv && c.activity.type === 'message',
    );
    assert.match(cardText(result), /Cancelled the role assignment request/);
    assert.equal(world.tenant.tokenRequests, before + 1, 'one on-behalf-of exchange');
    const graph = world.tenant.graphRequests();
    assert.equal(graph.length, 1);
    assert.equal(graph[0]!.tokenClaims?.oid, admin.aadObjectId, 'Graph saw the user, not the app');
    assert.ok(String(graph[0]!.tokenClaims?.scp).includes('RoleAssignmentSchedule.ReadWrite.Directory'));
    assert.equal(world.tenant.getRoleRequest(ex.roleRequestId)?.status, 'Canceled');
  });

  it('shows the typing indicator while Graph is slow (a throttled write waits out Retry-After)', async () => {
    // One 429 with Retry-After: 1 keeps the command waiting a full second, well past the
    // half-second after which the indicator goes out (a fast answer needs none).
    world.tenant.injectFault({ method: 'POST', pathIncludes: '/cancel', status: 429, times: 1, retryAfter: '1' });
    const mark = world.calls.length;
    const reply = await run(admin, `cancel role-request ${world.seed.examples.roleRequestId}`);
    assert.match(cardText(reply), /Cancelled the role assignment request/);
    const between = world.calls.slice(mark, world.calls.indexOf(reply));
    assert.ok(
      between.some((c) => c.conversationId === reply.conversationId && c.activity.type === 'typing'),
      'the typing indicator shows before the answer',
    );
  });

  it('reuses the token for later commands, in other conversations too', async () => {
    await run(admin, 'cancel group-request 00000000-0000-0000-0000-00000000000a');
    const before = world.tenant.tokenRequests;
    const { reply } = await say(admin, `cancel group-request ${world.seed.examples.groupRequestId}`, 'groupChat');
    assert.match(cardText(reply), /Cancelled the group assignment request/);
    assert.equal(world.tenant.tokenRequests, before);
  });

  it('sends exactly the request of contract §4 for each of the five operations', async () => {
    const ex = world.seed.examples;
    const cases: Array<[string, string, unknown, RegExp]> = [
      [
        `cancel run ${ex.workflowId} ${ex.runId}`,
        `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${ex.workflowId}/cancelProcessing`,
        { scope: { '@odata.type': '#microsoft.graph.identityGovernance.cancelRunsScope', runs: [{ id: ex.runId }] } },
        /Cancelled the workflow run/,
      ],
      [
        `cancel role-request ${ex.roleRequestId}`,
        `/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/${ex.roleRequestId}/cancel`,
        undefined,
        /Cancelled the role assignment request/,
      ],
      [
        `cancel group-request ${ex.groupRequestId}`,
        `/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests/${ex.groupRequestId}/cancel`,
        undefined,
        /Cancelled the group assignment request/,
      ],
      [
        `cancel access-request ${ex.accessRequestId}`,
        `/v1.0/identityGovernance/entitlementManagement/assignmentRequests/${ex.accessRequestId}/cancel`,
        undefined,
        /Cancelled the access package assignment request/,
      ],
      [
        `approve task ${ex.taskWorkflowId} ${ex.taskId} ${ex.taskProcessingResultId}`,
        `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${ex.taskWorkflowId}/tasks/${ex.taskId}/taskProcessingResults/${ex.taskProcessingResultId}/resume`,
        { data: { operationStatus: 'completed' }, source: 'GovernanceBot', type: 'lifecycleEvent' },
        /Approved the custom task/,
      ],
      [
        `reject task ${ex.taskWorkflowId} ${ex.taskId} 6e1ec336-8d06-4386-a377-79dbab1a2eb7`,
        `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${ex.taskWorkflowId}/tasks/${ex.taskId}/taskProcessingResults/6e1ec336-8d06-4386-a377-79dbab1a2eb7/resume`,
        { data: { operationStatus: 'failed' }, source: 'GovernanceBot', type: 'lifecycleEvent' },
        /Rejected the custom task/,
      ],
      [
        `resume task ${ex.taskWorkflowId} ${ex.taskId} 6e1ec336-8d06-4386-a377-79dbab1a2eb8 completed`,
        `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${ex.taskWorkflowId}/tasks/${ex.taskId}/taskProcessingResults/6e1ec336-8d06-4386-a377-79dbab1a2eb8/resume`,
        { data: { operationStatus: 'completed' }, source: 'GovernanceBot', type: 'lifecycleEvent' },
        /Approved the custom task/,
      ],
    ];
    await run(admin, 'help');
    const crids = new Set<string>();
    for (const [text, path, body, words] of cases) {
      world.tenant.clearLog();
      const reply = await run(admin, text);
      assert.match(cardText(reply), words, text);
      const graph = world.tenant.graphRequests();
      assert.equal(graph.length, 1, text);
      assert.equal(graph[0]!.method, 'POST');
      assert.equal(graph[0]!.path, path);
      assert.deepEqual(graph[0]!.body === undefined ? undefined : JSON.parse(graph[0]!.body), body, text);
      assert.match(graph[0]!.headers['client-request-id'] ?? '', GUID_RE);
      crids.add(graph[0]!.headers['client-request-id'] ?? '');
      assert.ok([200, 204].includes(graph[0]!.status));
    }
    assert.equal(crids.size, cases.length, 'a fresh client-request-id per command');
  });

  it('writes one audit line per command with the contract fields', async () => {
    const ex = world.seed.examples;
    const before = audits().length;
    await run(admin, `cancel access-request ${ex.accessRequestId}`);
    await new Promise((r) => setTimeout(r, 100));
    const lines = audits().slice(before);
    assert.equal(lines.length, 1);
    const l = lines[0]!;
    assert.equal(l.operation, 'cancelAccessPackageRequest');
    assert.equal(l.targetId, ex.accessRequestId);
    assert.equal(l.userId, admin.aadObjectId);
    assert.equal(l.outcome, 'succeeded');
    assert.equal(l.errorCode, null);
    assert.equal(l.graphStatus, 200);
    assert.match(String(l.graphRequestId), GUID_RE);
    assert.match(String(l.correlationId), GUID_RE);
  });

  it('403: names the least-privileged permission and the Entra role', async () => {
    const reply = await run(requester, `cancel role-request ${world.seed.examples.roleRequestId}`);
    const text = cardText(reply);
    assert.match(text, /RoleAssignmentSchedule\.ReadWrite\.Directory/);
    assert.match(text, /Privileged Role Administrator/);
    assert.ok(typeof reply.activity.summary === 'string');
    const l = audits().at(-1)!;
    assert.equal(l.errorCode, 'NOT_PERMITTED');
    assert.equal(l.graphStatus, 403);
    assert.equal(l.userId, requester.aadObjectId);
  });

  // A requester without admin roles acts on his own requests; reads go through filterByCurrentUser:
  // https://learn.microsoft.com/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0,
  // https://learn.microsoft.com/graph/api/privilegedaccessgroupassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0,
  // https://learn.microsoft.com/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0
  it('a requester without admin roles cancels his own PIM role, PIM group and access package requests', async () => {
    const diego = userOf(world.seed, 6);
    const own = world.seed.selfService;
    assert.equal(diego.aadObjectId, own.requesterId);
    for (const [command, id, done] of [
      ['cancel role-request', own.roleRequestIds[0]!, /Cancelled the role assignment request/],
      ['cancel group-request', own.groupRequestIds[0]!, /Cancelled the group assignment request/],
      ['cancel access-request', own.accessRequestIds[0]!, /Cancelled the access package assignment request/],
    ] as const) {
      const reply = await run(diego, `${command} ${id}`);
      assert.match(cardText(reply), done, command);
    }
    const writes = world.tenant.graphRequests().filter((r) => r.method === 'POST');
    assert.deepEqual(
      writes.map((r) => `${r.status} ${String(r.tokenClaims?.oid)}`),
      [204, 204, 200].map((status) => `${status} ${diego.aadObjectId}`),
      'three writes, each as the requester himself',
    );
    assert.equal(world.tenant.getRoleRequest(own.roleRequestIds[0]!)?.status, 'Canceled');
    assert.equal(world.tenant.getAccessRequest(own.accessRequestIds[0]!)?.state, 'canceled');
  });

  it("an administrator cancels the requester's requests", async () => {
    const own = world.seed.selfService;
    assert.equal(admin.aadObjectId, own.adminId);
    for (const [command, id] of [
      ['cancel role-request', own.roleRequestIds[1]!],
      ['cancel group-request', own.groupRequestIds[1]!],
      ['cancel access-request', own.accessRequestIds[1]!],
    ] as const) {
      assert.match(cardText(await run(admin, `${command} ${id}`)), /Cancelled the/, command);
    }
  });

  it("403 on someone else's request: names the permission and the role, and what self-service needs", async () => {
    const diego = userOf(world.seed, 6);
    const adeles = world.seed.examples.roleRequestId;
    world.tenant.clearLog();
    const text = cardText(await run(diego, `cancel role-request ${adeles}`));
    assert.match(text, /someone else's request/);
    assert.match(text, /Missing: the role Privileged Role Administrator/);
    assert.match(
      text,
      /To cancel your own request you need the delegated permission RoleAssignmentSchedule\.ReadWrite\.Directory/,
    );
    assert.match(text, /to cancel someone else's request you need .*and the role Privileged Role Administrator/);
    const graph = world.tenant.graphRequests().filter((r) => r.tokenClaims?.oid === diego.aadObjectId);
    assert.deepEqual(
      graph.map((r) => `${r.status} ${r.method} ${r.path.split('/').pop()}`),
      ['403 POST cancel', "200 GET filterByCurrentUser(on='principal')"],
      'the refused write, then his own requests to tell whose it is',
    );
    assert.equal(world.tenant.getRoleRequest(adeles)?.status, 'PendingApproval');
  });

  it('404: says the item no longer exists', async () => {
    const reply = await run(admin, 'cancel access-request 00000000-0000-0000-0000-0000000000ff');
    assert.match(cardText(reply), /no longer exists/);
    assert.equal(audits().at(-1)!.errorCode, 'NOT_FOUND');
  });

  it('400/409: names the current state, from Graph or from a read', async () => {
    const conflict = await run(
      admin,
      `cancel run ${world.seed.examples.workflowId} 8cdf25a8-c9d2-423e-a03d-3f39f03c3e99`,
    );
    assert.match(cardText(conflict), /is completed/);
    assert.equal(audits().at(-1)!.graphStatus, 409);
    world.tenant.clearLog();
    const bad = await run(admin, 'cancel role-request 95c690fb-3eb3-4942-a03f-4524aed6f322');
    assert.match(cardText(bad), /is Provisioned/);
    const graph = world.tenant.graphRequests();
    assert.deepEqual(
      graph.map((r) => r.method),
      ['POST', 'GET'],
      'the refused write, then a read for the state',
    );
    assert.equal(audits().at(-1)!.errorCode, 'INVALID_STATE');
  });

  it('429: waits Retry-After and succeeds within the bounded attempts', async () => {
    await run(admin, 'help');
    world.tenant.injectFault({ method: 'POST', pathIncludes: '/cancel', status: 429, times: 2, retryAfter: '0.2' });
    const reply = await run(admin, `cancel role-request ${world.seed.examples.roleRequestId}`);
    assert.match(cardText(reply), /Cancelled the role assignment request/);
    const writes = world.tenant.graphRequests().filter((r) => r.method === 'POST');
    assert.deepEqual(
      writes.map((r) => r.status),
      [429, 429, 204],
    );
    assert.equal(
      new Set(writes.map((r) => r.headers['client-request-id'])).size,
      1,
      'retries share the client-request-id',
    );
  });

  it('429 forever: stops after 5 attempts and says to try again later', async () => {
    await run(admin, 'help');
    world.tenant.injectFault({
      method: 'POST',
      pathIncludes: '/cancel',
      status: 429,
      times: Infinity,
      retryAfter: '0.1',
    });
    const reply = await run(admin, `cancel group-request ${world.seed.examples.groupRequestId}`);
    assert.match(cardText(reply), /Try again in/);
    assert.equal(world.tenant.graphRequests().filter((r) => r.method === 'POST').length, 5);
    const l = audits().at(-1)!;
    assert.equal(l.errorCode, 'THROTTLED');
    assert.equal(l.graphStatus, 429);
  });

  it('consent missing: answers the token exchange 412 and says what to do', async () => {
    const first = await say(noConsent, `cancel access-request ${world.seed.examples.accessRequestId}`);
    assert.ok(isCard(first.reply, 'application/vnd.microsoft.card.oauth'));
    const mark = world.calls.length;
    const res = await exchange(noConsent, first.reply);
    assert.equal(res.status, 412);
    assert.ok((JSON.parse(res.body) as { failureDetail?: string }).failureDetail);
    const card = messagesTo(first.conv, mark)[0]!;
    assert.match(cardText(card), /consent/i);
    assert.equal(world.tenant.graphRequests().length, 0);
    assert.equal(audits().at(-1)!.errorCode, 'SIGN_IN_REQUIRED');
    // The card's Sign in button now opens the start page, which asks Entra for consent.
    const oauth = (first.reply.activity.attachments as Array<{ content: { buttons: Array<{ value: string }> } }>)[0]!;
    const start = await fetch(oauth.content.buttons[0]!.value, { redirect: 'manual' });
    assert.equal(start.status, 302);
    const authorize = new URL(start.headers.get('location') ?? '');
    assert.equal(
      authorize.origin + authorize.pathname,
      `${world.tenantServer.url}/${world.seed.tenantId}/oauth2/v2.0/authorize`,
    );
    assert.equal(authorize.searchParams.get('prompt'), 'consent');
    assert.equal(authorize.searchParams.get('client_id'), world.seed.app.clientId);
  });

  it('MFA required: 412 and a card that says to complete MFA', async () => {
    const first = await say(mfaUser, `cancel role-request ${world.seed.examples.roleRequestId}`);
    const mark = world.calls.length;
    const res = await exchange(mfaUser, first.reply);
    assert.equal(res.status, 412);
    assert.match(cardText(messagesTo(first.conv, mark)[0]!), /multi-factor/);
    // Entra's claims challenge reaches the authorize request of the card's sign-in page.
    const oauth = (first.reply.activity.attachments as Array<{ content: { buttons: Array<{ value: string }> } }>)[0]!;
    const start = await fetch(oauth.content.buttons[0]!.value, { redirect: 'manual' });
    const claims = new URL(start.headers.get('location') ?? '').searchParams.get('claims');
    assert.match(claims ?? '', /"access_token"/);
  });

  it('a token exchange from another member never runs the command', async () => {
    await signOut(admin);
    const conv = '19:shared-group@thread.v2';
    const first = await say(admin, `cancel access-request ${world.seed.examples.accessRequestId}`, 'groupChat', conv);
    assert.ok(isCard(first.reply, 'application/vnd.microsoft.card.oauth'));
    const other = await exchange(requester, first.reply, undefined, conv);
    assert.equal(other.status, 200);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(world.tenant.graphRequests().length, 0, 'nothing ran for the other member');
    const mark = world.calls.length;
    const mine = await exchange(admin, first.reply, undefined, conv);
    assert.equal(mine.status, 200);
    const again = await exchange(admin, first.reply, undefined, conv);
    assert.equal(again.status, 200, 'a duplicate exchange is acknowledged');
    await world.waitFor(
      (c) => world.calls.indexOf(c) >= mark && c.conversationId === conv && c.activity.type === 'message',
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(world.tenant.graphRequests().filter((r) => r.method === 'POST').length, 1, 'the command ran once');
  });

  it('refuses ids that are not GUIDs without calling Graph or writing an audit line', async () => {
    await run(admin, 'help');
    const before = audits().length;
    for (const text of [
      'cancel role-request 1234',
      'cancel run abc def',
      'approve task ../x y z',
      'cancel access-request %2e%2e',
    ]) {
      const { reply } = await say(admin, text);
      assert.match(cardText(reply), /GUID|takes/);
      assert.ok(typeof reply.activity.summary === 'string');
    }
    assert.equal(world.tenant.graphRequests().length, 0);
    assert.equal(audits().length, before);
  });

  it('answers an @mention in a channel, in that channel', async () => {
    await run(admin, 'help');
    const { reply, conv } = await say(admin, `cancel group-request ${world.seed.examples.groupRequestId}`, 'channel');
    assert.equal(reply.conversationId, conv);
    assert.match(cardText(reply), /Cancelled the group assignment request/);
  });

  it('lists every command in help, with a summary', async () => {
    const { reply } = await say(admin, 'HELP');
    const text = cardText(reply);
    for (const usage of [
      'cancel run',
      'cancel role-request',
      'cancel group-request',
      'cancel access-request',
      'resume task',
      'approve task',
      'reject task',
      'sign out',
    ]) {
      assert.ok(text.includes(usage), usage);
    }
    assert.equal(reply.activity.summary, 'Governance Bot commands');
  });

  it('answers signin/verifyState and signin/failure without 5xx', async () => {
    const unknown = await post(world, bot, invoke(world, requester, 'signin/verifyState', { state: '123456' }));
    assert.equal(unknown.status, 404);
    const failure = await post(
      world,
      bot,
      invoke(world, requester, 'signin/failure', { code: 'resourcematchfailed', message: 'x' }),
    );
    assert.equal(failure.status, 200);
    await signOut(admin);
    const { conv } = await say(admin, `cancel role-request ${world.seed.examples.roleRequestId}`);
    // A state the sign-in pages never issued (here a magic code) is refused with a card that says
    // what to do, and nothing runs.
    const mark = world.calls.length;
    const verify = await post(world, bot, invoke(world, admin, 'signin/verifyState', { state: '654321' }));
    assert.equal(verify.status, 404);
    assert.match(cardText(messagesTo(conv, mark)[0]!), /no longer valid/);
    const cancelled = await post(world, bot, invoke(world, admin, 'signin/verifyState', { state: 'CancelledByUser' }));
    assert.equal(cancelled.status, 200);
    assert.equal(world.tenant.graphRequests().length, 0);
  });

  it('sign out forgets the token: the next command asks to sign in again', async () => {
    await run(admin, 'help');
    await signOut(admin);
    const { reply } = await say(admin, `cancel role-request ${world.seed.examples.roleRequestId}`);
    assert.ok(isCard(reply, 'application/vnd.microsoft.card.oauth'));
  });

  it('puts no token, secret or Authorization header in any output', () => {
    const outputs = [bot.stdout(), bot.stderr(), JSON.stringify(world.calls.map((c) => c.activity))].join('\n');
    assert.doesNotMatch(outputs, /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, 'no JWT');
    assert.ok(!outputs.includes(world.seed.app.clientSecret), 'no client secret');
    assert.ok(!outputs.includes('msi-header-secret-value'), 'no identity header');
    assert.doesNotMatch(outputs, /Bearer [A-Za-z0-9]/);
    assert.ok(
      world.calls.every((c) => c.authorized),
      'every reply carried the bot token from managed identity',
    );
  });
});
