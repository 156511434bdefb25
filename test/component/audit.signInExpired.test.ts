// Contract §6: "Every valid command that names an operation writes one JSON line to stdout when it
// ends, whether Graph or the bot refused it", `graphStatus` "null only when none came". Contract
// §5: the bot "remembers the command" until the user signs in; README: a remembered command waits
// 15 minutes. A command whose sign-in never completes in that time has ended without running, and
// nobody may ever ask about it again (the user walked away): the periodic pass ends it with its
// one line (SIGN_IN_REQUIRED, `abandoned: "expired"`), once however many instances run the pass or
// whoever meets it first, and never for a command that ran.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import type { AuditLine } from '../../src/domain/governance';
import { Rig } from './botRig';
import { FakeClock } from './fakeClock';
import { assertAbandonedLine, auditLinesOf, exchangeIdIn, expirySweep } from './waitingCommand';

const MINUTE = 60_000;

describe('a remembered command whose sign-in does not complete in time ends with its one audit line', () => {
  let dir: string;
  let clock: FakeClock;
  let r: Rig;
  const rigs: Rig[] = [];
  beforeEach(() => {
    dir = Rig.dir();
    clock = new FakeClock();
    r = new Rig(dir, { clock });
    rigs.push(r);
  });
  afterEach(async () => {
    for (const rig of rigs.splice(0)) await rig.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The lines the periodic pass wrote, of every instance that ran it. */
  const swept: AuditLine[] = [];
  beforeEach(() => (swept.length = 0));
  /** The periodic pass's sweep as the app wires it, on the state of `rig` (an instance). */
  const pass = (rig: Rig = r) => expirySweep(rig, clock, swept);
  const audits = (rig: Rig = r) => auditLinesOf(rig);
  const exchangeId = exchangeIdIn;

  it('nobody comes back: the pass after its time writes one failed line with no Graph answer, a later pass none', async () => {
    const megan = r.user(0);
    const requestId = r.seed.examples.roleRequestId;
    await r.message(megan, `cancel role-request ${requestId}`);
    await clock.advance(14 * MINUTE);
    await pass()();
    assert.equal(swept.length, 0, 'it still waits');
    await clock.advance(11 * MINUTE);
    await pass()();
    assert.equal(swept.length, 1, JSON.stringify(swept));
    assertAbandonedLine(swept[0]! as unknown as Record<string, unknown>, {
      requestId,
      userId: megan.aadObjectId,
      abandoned: 'expired',
    });
    await clock.advance(5 * MINUTE);
    await pass()();
    await clock.advance(24 * 60 * MINUTE);
    await pass()();
    assert.equal(swept.length, 1, JSON.stringify(swept));
    assert.equal(audits().length, 0);
  });

  it('a command that ran in time writes only its own line', async () => {
    const megan = r.user(0);
    const asked = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
    await clock.advance(10 * MINUTE);
    const id = exchangeId(asked.sent);
    const good = await r.invoke(megan, 'signin/tokenExchange', { id, connectionName: '', token: r.sso(megan) });
    assert.equal(good.invoke?.status, 200);
    await r.bot.idle();
    await clock.advance(30 * MINUTE);
    await pass()();
    assert.equal(r.writes().length, 1);
    assert.deepEqual(
      [...audits(), ...swept].map((l) => l.outcome),
      ['succeeded'],
    );
  });

  it('its card exchanged after its time runs nothing, and the pass still ends it once', async () => {
    const megan = r.user(0);
    const asked = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
    await clock.advance(16 * MINUTE);
    const id = exchangeId(asked.sent);
    const late = await r.invoke(megan, 'signin/tokenExchange', { id, connectionName: '', token: r.sso(megan) });
    assert.equal(late.invoke?.status, 200);
    await r.bot.idle();
    assert.equal(r.writes().length, 0, 'nothing ran');
    await clock.advance(10 * MINUTE);
    await pass()();
    assert.equal(swept.length, 1, JSON.stringify(swept));
    assert.equal(audits().length, 0);
  });

  it('a sign out after its time: one line in all, saying expired', async () => {
    const megan = r.user(0);
    await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
    await clock.advance(16 * MINUTE);
    await r.message(megan, 'sign out');
    await clock.advance(10 * MINUTE);
    await pass()();
    assert.deepEqual(
      [...audits(), ...swept].map((l) => l.abandoned),
      ['expired'],
    );
  });

  it('two instances run the pass at once: one line', async () => {
    const other = new Rig(dir, { clock, tenant: r.tenant });
    rigs.push(other);
    const megan = r.user(0);
    await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
    await r.message(megan, `cancel group-request ${r.seed.examples.groupRequestId}`);
    await clock.advance(25 * MINUTE);
    await Promise.all([pass(r)(), pass(other)()]);
    assert.deepEqual(swept.map((l) => l.operation).sort(), ['cancelGroupRequest', 'cancelRoleRequest']);
  });

  it('a pass stopped midway leaves the rest to the next one', async () => {
    const megan = r.user(0);
    await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
    await clock.advance(25 * MINUTE);
    const stopped = new AbortController();
    stopped.abort();
    await pass()(stopped.signal);
    assert.equal(swept.length, 0);
    await pass()();
    assert.equal(swept.length, 1, JSON.stringify(swept));
  });
});
