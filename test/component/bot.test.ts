// The handler in process (TestAdapter + simulated tenant + SQLite on a temp dir): card binding,
// token subjects, redelivered messages, sign-in across instances, and invokes that never fail
// with a 5xx or a 501.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { Target } from '../../src/domain/operations';
import { Rig, cardsOf } from './botRig';

describe('the handler in process', () => {
  let dir: string;
  let rigs: Rig[];
  const rig = (opts: ConstructorParameters<typeof Rig>[1] = {}) => {
    const r = new Rig(dir, { ...opts, ...(rigs[0] ? { tenant: rigs[0].tenant } : {}) });
    rigs.push(r);
    return r;
  };

  beforeEach(() => {
    dir = Rig.dir();
    rigs = [];
  });
  afterEach(async () => {
    for (const r of rigs) await r.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const roleTarget = (r: Rig): Target => ({
    operation: 'cancelRoleRequest',
    ids: { requestId: r.seed.examples.roleRequestId },
  });
  const groupTarget = (r: Rig): Target => ({
    operation: 'cancelGroupRequest',
    ids: { requestId: r.seed.examples.groupRequestId },
  });

  it('a list command on a bot without lists answers with a card and its summary', async () => {
    const r = rig({ extend: () => ({ deps: { lists: undefined } }) });
    const { sent } = await r.message(r.user(0), 'my approvals');
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.attachments?.[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.match(String(sent[0]?.summary), /Lists are off/);
  });

  describe('a click acts only on the item its card shows (issue 7.7)', () => {
    it('acts on a bound card and replaces it for everyone', async () => {
      const r = rig();
      const megan = r.user(0);
      await r.signIn(megan);
      r.tenant.clearLog();
      await r.postCard(megan, 'card-1', roleTarget(r));
      const res = await r.click(megan, roleTarget(r), 'card-1');
      assert.equal(res.status, 200);
      assert.match(JSON.stringify(res.body.value), /Cancelled by Megan Bowen/);
      assert.equal(r.writes().length, 1);
      assert.equal(r.updates.length, 1);
      assert.equal(r.updates[0]!.id, 'card-1');
    });

    it('refuses a card the bot never posted, another item, another operation or a forged Submit: no Graph call, card unchanged', async () => {
      const r = rig();
      const megan = r.user(0);
      await r.signIn(megan);
      r.tenant.clearLog();
      await r.postCard(megan, 'card-role', roleTarget(r));

      // Universal Actions errors: HTTP 200, the error's own statusCode in the body.
      // https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/universal-action-model#response-format
      const unbound = await r.click(megan, roleTarget(r), 'card-nobody-posted');
      assert.equal(unbound.status, 200);
      assert.equal(unbound.body.statusCode, 400);
      assert.match(JSON.stringify(unbound.body), /did not post this card/);

      const otherItem = await r.click(megan, groupTarget(r), 'card-role');
      assert.equal(otherItem.body.statusCode, 400);
      assert.match(JSON.stringify(otherItem.body), /does not belong to this card/);

      const otherOperation: Target = { operation: 'cancelGroupRequest', ids: roleTarget(r).ids };
      assert.equal((await r.click(megan, otherOperation, 'card-role')).body.statusCode, 400);

      const forged = await r.message(megan, '', {
        text: undefined,
        value: { verb: 'governance.act', operation: 'cancelGroupRequest', ids: groupTarget(r).ids },
        replyToId: 'card-role',
      } as never);
      assert.match(cardsOf(forged.sent), /does not belong to this card/);

      assert.equal(r.tenant.graphRequests().length, 0, 'Graph was never called');
      assert.equal(r.updates.length, 0, 'no card was rewritten');
      const refusals = r.logs.filter((l) => l.event === 'governance.action' && l.refused === 'cardBinding');
      assert.equal(refusals.length, 4, 'every refused click leaves its audit line');
    });
  });

  describe('a token is used only by its own user (issue 7.5)', () => {
    it("user B's token in user A's click runs nothing, and A's later commands do not run as B", async () => {
      const r = rig();
      const adele = r.user(1);
      const megan = r.user(0);
      await r.postCard(adele, 'card-a', roleTarget(r));
      r.tenant.clearLog();
      const forged = await r.click(adele, roleTarget(r), 'card-a', {
        authentication: { id: 'x', connectionName: '', token: r.sso(megan) },
      });
      assert.equal(forged.status, 200, 'a Universal Actions answer travels in an HTTP 200');
      assert.equal(forged.body.statusCode, 412);
      assert.deepEqual((forged.body.value as { code: string }).code, '412');
      assert.equal(r.tenant.tokenRequests, 0, 'the token was not even exchanged');
      assert.equal(r.tenant.graphRequests().length, 0);

      const later = await r.message(adele, `cancel role-request ${r.seed.examples.roleRequestId}`);
      assert.match(JSON.stringify(later.sent), /application\/vnd\.microsoft\.card\.oauth/, 'Adele is asked to sign in');
      assert.equal(r.tenant.graphRequests().length, 0, 'nothing ran as Megan');

      const exchange = await r.invoke(adele, 'signin/tokenExchange', {
        id: 'whatever',
        connectionName: '',
        token: r.sso(megan),
      });
      assert.equal(exchange.invoke?.status, 200, 'an exchange for no waiting sign-in is acknowledged');
      const pendingId = (later.sent[0]!.attachments![0]!.content as { tokenExchangeResource: { id: string } })
        .tokenExchangeResource.id;
      const wrong = await r.invoke(adele, 'signin/tokenExchange', {
        id: pendingId,
        connectionName: '',
        token: r.sso(megan),
      });
      // A token that is not the user's is a failed exchange: 412 makes Teams show the Sign in
      // button (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code),
      // and the user is told; the command still waits for Adele's own sign-in.
      assert.equal(wrong.invoke?.status, 412);
      assert.match(JSON.stringify(wrong.sent), /Sign-in needed/, 'Adele is told what to do');
      await r.bot.idle();
      assert.equal(r.tenant.tokenRequests, 0);
      assert.equal(r.tenant.graphRequests().length, 0);
    });
  });

  describe('redelivered messages (issue 7.6)', () => {
    it('three posts of one activity id make one Graph write', async () => {
      const r = rig({ silent: true });
      const megan = r.user(0);
      const activity = r.activity(megan, {
        type: 'message',
        text: `cancel role-request ${r.seed.examples.roleRequestId}`,
      });
      for (let i = 0; i < 3; i++) await r.turn({ ...activity });
      assert.equal(r.writes().length, 1);
      const audits = r.logs.filter((l) => l.event === 'governance.action');
      assert.equal(audits.length, 1);
    });

    it('is shared by instances: a redelivery to another instance runs nothing', async () => {
      const a = rig({ silent: true });
      const b = rig({ silent: true });
      const megan = a.user(0);
      const activity = a.activity(megan, {
        type: 'message',
        text: `cancel role-request ${a.seed.examples.roleRequestId}`,
      });
      await a.turn({ ...activity });
      await b.turn({ ...activity });
      assert.equal(a.writes().length, 1);
    });
  });

  describe('sign-in across instances (issue 6, point 4)', () => {
    it('a token exchange that reaches another instance runs the remembered command there', async () => {
      const first = rig();
      const second = rig();
      const megan = first.user(0);
      const asked = await first.message(megan, `cancel role-request ${first.seed.examples.roleRequestId}`);
      const card = asked.sent[0]!.attachments![0]!.content as { tokenExchangeResource: { id: string } };
      const res = await second.invoke(megan, 'signin/tokenExchange', {
        id: card.tokenExchangeResource.id,
        connectionName: '',
        token: second.sso(megan),
      });
      assert.equal(res.invoke?.status, 200);
      await second.bot.idle();
      assert.equal(first.writes().length, 1);
      assert.equal(first.writes()[0]!.tokenClaims?.oid, megan.aadObjectId);
      assert.match(cardsOf(second.sent), /Megan Bowen/);
    });
  });

  describe('invokes never answer 5xx or 501 (issues 6.7, 7.12)', () => {
    it('an exception inside a click gives the user an error card, logged once with its correlation id', async () => {
      const r = rig();
      const megan = r.user(0);
      await r.signIn(megan);
      await r.postCard(megan, 'card-1', roleTarget(r));
      await r.state.close(); // the store becomes unreadable mid-flight
      const res = await r.click(megan, roleTarget(r), 'card-1');
      assert.equal(res.status, 200);
      assert.equal(res.body.type, 'application/vnd.microsoft.card.adaptive');
      const failures = r.logs.filter((l) => l.event === 'bot.invoke.failed');
      assert.equal(failures.length, 1);
      const id = String(failures[0]!.correlationId);
      assert.ok(JSON.stringify(res.body.value).includes(id), 'the card names the correlation id');
      assert.doesNotMatch(JSON.stringify(res.body.value), /state\.db|at .*\.js|SQLITE/, 'no internals');
    });

    it('answers an unknown invoke 200 (its body: invokes.notOurs.test.ts), and a failing token exchange with 412', async () => {
      const r = rig();
      const megan = r.user(0);
      const unknown = await r.invoke(megan, 'task/fetch', {});
      assert.equal(unknown.invoke?.status, 200);
      const nameless = await r.invoke(megan, undefined as never, {});
      assert.equal(nameless.invoke?.status, 200);
      await r.state.close();
      const exchange = await r.invoke(megan, 'signin/tokenExchange', {
        id: 'x',
        connectionName: '',
        token: r.sso(megan),
      });
      assert.equal(exchange.invoke?.status, 412);
      const verify = await r.invoke(megan, 'signin/verifyState', { state: '123456' });
      assert.equal(verify.invoke?.status, 200);
    });
  });
});
