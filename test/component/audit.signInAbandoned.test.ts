// Contract §6: "Every valid command that names an operation writes one JSON line to stdout when it
// ends, whether Graph or the bot refused it", with `graphStatus` "null only when none came" and a
// `correlationId` "fresh per command". Contract §5: a user with no usable token gets an OAuth card
// and the bot "remembers the command". A remembered command that the bot then forgets without
// running it has ended: a `sign out` while it waits (contract §3: "forgets the user's tokens";
// README: "forgotten by a sign out"), a sign-in the user cancelled in the sign-in window (Teams'
// signin/verifyState with `CancelledByUser`,
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot),
// and the oldest of more commands than are remembered per user. Each writes its one line, once,
// saying SIGN_IN_REQUIRED (the sign-in never completed) and no Graph answer; a command that did run
// writes none besides its own.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { Target } from '../../src/domain/operations';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';
import { assertAbandonedLine, auditLinesOf, exchangeIdIn } from './waitingCommand';

describe('a remembered command forgotten without running writes its one audit line', () => {
  let r: Rig;
  rigPerTest((rig) => (r = rig), {});

  const audits = (rig: Rig = r) => auditLinesOf(rig);
  const exchangeId = exchangeIdIn;

  it('a sign out while a typed command waits: one failed line, no Graph answer; the old card then runs nothing', async () => {
    const megan = r.user(0);
    const requestId = r.seed.examples.roleRequestId;
    const asked = await r.message(megan, `cancel role-request ${requestId}`);
    const id = exchangeId(asked.sent);
    assert.equal(audits().length, 0, 'the command waits: it has not ended');
    await r.message(megan, 'sign out');
    assert.equal(audits().length, 1, JSON.stringify(audits()));
    assertAbandonedLine(audits()[0]!, { requestId, userId: megan.aadObjectId, abandoned: 'signedOut' });
    // The card's exchange after the sign out runs nothing, and a second sign out forgets nothing more.
    const late = await r.invoke(megan, 'signin/tokenExchange', { id, connectionName: '', token: r.sso(megan) });
    assert.equal(late.invoke?.status, 200);
    await r.message(megan, 'sign out');
    await r.bot.idle();
    assert.equal(r.writes().length, 0, 'nothing ran');
    assert.equal(audits().length, 1, JSON.stringify(audits()));
  });

  it('a sign out after the command ran writes no second line', async () => {
    const megan = r.user(0);
    const asked = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
    const id = exchangeId(asked.sent);
    await r.invoke(megan, 'signin/tokenExchange', { id, connectionName: '', token: r.sso(megan) });
    await r.bot.idle();
    await r.message(megan, 'sign out');
    assert.equal(r.writes().length, 1, 'the command ran once');
    assert.deepEqual(
      audits().map((l) => l.outcome),
      ['succeeded'],
    );
  });

  it('a card press waiting for sign-in, then a sign out: its line says it came from the card', async () => {
    const megan = r.user(0);
    const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
    await r.postCard(megan, 'card-1', target);
    const login = await r.click(megan, target, 'card-1');
    assert.equal(login.body.type, 'application/vnd.microsoft.activity.loginRequest');
    await r.message(megan, 'sign out');
    assert.equal(audits().length, 1, JSON.stringify(audits()));
    assert.equal(audits()[0]!.errorCode, 'SIGN_IN_REQUIRED');
    assert.equal(audits()[0]!.via, 'card');
  });

  it('a list command that waits names no operation: its sign out writes no line', async () => {
    const megan = r.user(0);
    await r.message(megan, 'my approvals');
    await r.message(megan, 'sign out');
    assert.equal(audits().length, 0, JSON.stringify(audits()));
  });

  it('a sign-in cancelled in its window ends every command that waited for it', async () => {
    const megan = r.user(0);
    await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
    await r.message(megan, `cancel group-request ${r.seed.examples.groupRequestId}`);
    const cancelled = await r.invoke(megan, 'signin/verifyState', { state: 'CancelledByUser' });
    assert.equal(cancelled.invoke?.status, 200);
    assert.deepEqual(
      audits()
        .map((l) => [l.operation, l.errorCode, l.abandoned])
        .sort(),
      [
        ['cancelGroupRequest', 'SIGN_IN_REQUIRED', 'cancelled'],
        ['cancelRoleRequest', 'SIGN_IN_REQUIRED', 'cancelled'],
      ],
    );
    assert.notEqual(audits()[0]!.correlationId, audits()[1]!.correlationId, 'fresh per command');
  });

  it('the oldest of more waiting commands than are remembered ends when the newest is remembered', async () => {
    const megan = r.user(0);
    const ids = r.seed.examples;
    await r.message(megan, `cancel role-request ${ids.roleRequestId}`);
    for (let i = 0; i < 4; i++) await r.message(megan, `cancel group-request ${ids.groupRequestId}`);
    assert.equal(audits().length, 0, 'five commands wait');
    await r.message(megan, `cancel group-request ${ids.groupRequestId}`);
    assert.equal(audits().length, 1, JSON.stringify(audits()));
    assert.equal(audits()[0]!.operation, 'cancelRoleRequest');
    assert.equal(audits()[0]!.abandoned, 'replaced');
    // The five still waiting end with the sign out: one line each, six in all.
    await r.message(megan, 'sign out');
    assert.equal(audits().length, 6, JSON.stringify(audits()));
  });

  it('two instances take the same sign out at once: one line', async () => {
    const other = new Rig(r.dir, { tenant: r.tenant });
    try {
      const megan = r.user(0);
      await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
      await Promise.all([r.message(megan, 'sign out'), other.message(megan, 'sign out')]);
      assert.equal(audits().length + audits(other).length, 1, JSON.stringify([audits(), audits(other)]));
    } finally {
      await other.close();
    }
  });

  it('a sign out racing the successful exchange on another instance: one line either way', async () => {
    const other = new Rig(r.dir, { tenant: r.tenant });
    try {
      const megan = r.user(0);
      const asked = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
      const id = exchangeId(asked.sent);
      await Promise.all([
        other.invoke(megan, 'signin/tokenExchange', { id, connectionName: '', token: r.sso(megan) }),
        r.message(megan, 'sign out'),
      ]);
      await other.bot.idle();
      const all = [...audits(), ...audits(other)];
      assert.equal(all.length, 1, JSON.stringify(all));
      assert.equal(other.writes().length, all[0]!.outcome === 'succeeded' ? 1 : 0);
    } finally {
      await other.close();
    }
  });
});

describe('a remembered command taken to run that cannot be run writes its one audit line', () => {
  let dir: string;
  let r: Rig;
  beforeEach(() => {
    dir = Rig.dir();
    // The conversation cannot be continued (Teams or the bot's own token out of reach): the
    // command's turn never starts.
    r = new Rig(dir, {
      extend: () => ({
        deps: {
          proactive: async () => {
            throw new Error('the conversation could not be continued');
          },
        },
      }),
    });
  });
  afterEach(async () => {
    await r.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a successful exchange whose command never starts: one failed line, nothing sent to Graph', async () => {
    const megan = r.user(0);
    const requestId = r.seed.examples.roleRequestId;
    const asked = await r.message(megan, `cancel role-request ${requestId}`);
    const id = (asked.sent[0]!.attachments![0]!.content as { tokenExchangeResource: { id: string } })
      .tokenExchangeResource.id;
    const good = await r.invoke(megan, 'signin/tokenExchange', { id, connectionName: '', token: r.sso(megan) });
    assert.equal(good.invoke?.status, 200);
    await r.bot.idle();
    assert.equal(r.writes().length, 0);
    const audits = r.logs.filter((l) => l.event === 'governance.action');
    assert.equal(audits.length, 1, JSON.stringify(audits));
    assert.equal(audits[0]!.operation, 'cancelRoleRequest');
    assert.equal(audits[0]!.targetId, requestId);
    assert.equal(audits[0]!.outcome, 'failed');
    assert.equal(audits[0]!.errorCode, 'UPSTREAM');
    assert.equal(audits[0]!.graphStatus, null);
    assert.equal(audits[0]!.abandoned, 'notStarted');
    // Never run, so nothing it would have sent can have taken effect (README "Audit log").
    assert.equal('mayHaveTakenEffect' in audits[0]!, false, JSON.stringify(audits[0]));
  });
});
