// The outside contract (../shared/contract.md) over real HTTP, sign-in and authentication: the server
// runs as in production with inbound JWT validation on, and Teams SSO against the simulated tenant
// over HTTPS. Proves /healthz, the 401 for every unsigned or wrongly signed activity, the SSO sign-in
// on the first command and the token's reuse, the 412 of missing consent and of MFA, that another
// member's token exchange runs nothing, signin/verifyState and signin/failure, and sign out.
// The tests run in this order on one bot (a test that must see everything settled stops it, and a
// new one starts on the same state); a test that needs a user signed in or out says so itself.

import { strict as assert } from 'node:assert';
import { BOT_APP_ID, Who, World, cardText, invoke, isCard, message, post } from './harness';
import { contractSession } from './contractSession';

describe('contract over HTTP (inbound JWT validation on)', function () {
  this.timeout(60_000);
  const session = contractSession();
  const { messagesTo, say, exchange, run, signOut, signIn, audits, logLines, settle } = session;
  let world: World;
  let admin: Who;
  let requester: Who;
  let noConsent: Who;
  let mfaUser: Who;
  // The session's before hook, registered first, has started the world and the bot by now.
  before(() => {
    ({ world, admin, requester, noConsent, mfaUser } = session);
  });

  /** The log lines of token exchanges the bot declined to run anything for (ignored or duplicate). */
  const declined = () =>
    logLines().filter(
      (l) => l.event === 'signin.tokenExchange.ignored' || l.event === 'signin.tokenExchange.duplicate',
    );
  /** Why each exchange declined after the first `from` was, once at least `count` were. */
  async function declinedSince(from: number, count: number): Promise<string[]> {
    const deadline = Date.now() + 10_000;
    while (declined().length < from + count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return declined()
      .slice(from)
      .map((l) => String(l.why ?? 'duplicate'));
  }

  it('answers /healthz', async () => {
    assert.equal((await fetch(`${session.bot.url}/healthz`)).status, 200);
  });

  it('rejects unsigned, forged, expired and wrong-audience activities with 401 and does nothing', async () => {
    const mark = world.calls.length;
    for (const mode of ['none', 'forged', 'expired', 'wrongAudience'] as const) {
      const res = await post(world, session.bot, message(world, admin, 'help'), mode);
      assert.equal(res.status, 401, `${mode}: ${res.body}`);
    }
    // Not a pause: once the bot has stopped, having finished all it was doing, nothing can follow.
    await settle();
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
    assert.equal(button?.value, `${session.bot.url}/auth/start?s=${resource.id}`);
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

  it('reuses the token for later commands, in other conversations too', async () => {
    await run(admin, 'cancel group-request 00000000-0000-0000-0000-00000000000a');
    const before = world.tenant.tokenRequests;
    const { reply } = await say(admin, `cancel group-request ${world.seed.examples.groupRequestId}`, 'groupChat');
    assert.match(cardText(reply), /Cancelled the group assignment request/);
    assert.equal(world.tenant.tokenRequests, before);
  });

  it('consent missing: answers the token exchange 412 and says what to do', async () => {
    const first = await say(noConsent, `cancel access-request ${world.seed.examples.accessRequestId}`);
    assert.ok(isCard(first.reply, 'application/vnd.microsoft.card.oauth'));
    const auditsBefore = audits().length;
    const mark = world.calls.length;
    const res = await exchange(noConsent, first.reply);
    assert.equal(res.status, 412);
    assert.ok((JSON.parse(res.body) as { failureDetail?: string }).failureDetail);
    const card = messagesTo(first.conv, mark)[0]!;
    assert.match(cardText(card), /consent/i);
    assert.equal(world.tenant.graphRequests().length, 0);
    // The command stays remembered (the card's Sign in can still run it): it has not ended, so it
    // has written no audit line yet (contract §6: one line "when it ends"). This asserted a
    // SIGN_IN_REQUIRED line here before, which made a command that later ran write two.
    assert.equal(audits().length, auditsBefore, JSON.stringify(audits().slice(auditsBefore)));
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
    const decided = declined().length;
    const audited = audits().length;
    const other = await exchange(requester, first.reply, undefined, conv);
    assert.equal(other.status, 200);
    // The bot logs what it decided for an exchange before answering it: for this one, nothing to run.
    assert.deepEqual(await declinedSince(decided, 1), ['otherUser'], 'the other member’s exchange ran nothing');
    assert.equal(world.tenant.graphRequests().length, 0, 'nothing ran for the other member');
    const mark = world.calls.length;
    const mine = await exchange(admin, first.reply, undefined, conv);
    assert.equal(mine.status, 200);
    const again = await exchange(admin, first.reply, undefined, conv);
    assert.equal(again.status, 200, 'a duplicate exchange is acknowledged');
    await world.waitFor(
      (c) => world.calls.indexOf(c) >= mark && c.conversationId === conv && c.activity.type === 'message',
    );
    // Not a pause: once the bot has stopped, having finished all it was doing, nothing can follow.
    await settle();
    const graph = world.tenant.graphRequests();
    assert.ok(
      graph.every((r) => r.tokenClaims?.oid === admin.aadObjectId),
      `nothing ran for the other member: ${JSON.stringify(graph.map((r) => r.tokenClaims?.oid))}`,
    );
    assert.equal(graph.filter((r) => r.method === 'POST').length, 1, 'the command ran once');
    // Of the three exchanges, only the user's own first one ran it; the duplicate was declined.
    const declines = await declinedSince(decided, 2);
    assert.equal(declines.length, 2, JSON.stringify(declines));
    const lines = audits().slice(audited);
    assert.equal(lines.length, 1, `one audit line: ${JSON.stringify(lines)}`);
    assert.equal(lines[0]!.userId, admin.aadObjectId);
  });

  it('answers signin/verifyState and signin/failure without 5xx', async () => {
    const unknown = await post(world, session.bot, invoke(world, requester, 'signin/verifyState', { state: '123456' }));
    assert.equal(unknown.status, 404);
    const failure = await post(
      world,
      session.bot,
      invoke(world, requester, 'signin/failure', { code: 'resourcematchfailed', message: 'x' }),
    );
    assert.equal(failure.status, 200);
    await signOut(admin);
    const { conv } = await say(admin, `cancel role-request ${world.seed.examples.roleRequestId}`);
    // A state the sign-in pages never issued (here a magic code) is refused with a card that says
    // what to do, and nothing runs.
    const mark = world.calls.length;
    const verify = await post(world, session.bot, invoke(world, admin, 'signin/verifyState', { state: '654321' }));
    assert.equal(verify.status, 404);
    assert.match(cardText(messagesTo(conv, mark)[0]!), /no longer valid/);
    const cancelled = await post(
      world,
      session.bot,
      invoke(world, admin, 'signin/verifyState', { state: 'CancelledByUser' }),
    );
    assert.equal(cancelled.status, 200);
    assert.equal(world.tenant.graphRequests().length, 0);
  });

  it('sign out forgets the token: the next command asks to sign in again', async () => {
    await signIn(admin);
    await signOut(admin);
    const { reply } = await say(admin, `cancel role-request ${world.seed.examples.roleRequestId}`);
    assert.ok(isCard(reply, 'application/vnd.microsoft.card.oauth'));
  });

  session.itPrintsNoSecrets();
});
