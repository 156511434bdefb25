// What a typed command keeps as typed and what it normalises. Contract §6: the audit line's
// `targetId` is the command's last id, so a GUID typed in upper case is audited as typed (and so
// named on the answer); every key and Graph's URL take it lower-cased, as GUIDs are
// case-insensitive (RFC 9562 §4: "hex values 'a' through 'f' are output as lower case and are
// case insensitive on input"), and Graph itself answers ids in lower case. Contract §3: only the
// listed commands are commands; "?" and "logout" are answered with the closest usage, with no
// Graph call and no audit line, as any other input that does not parse.

import { strict as assert } from 'node:assert';
import { Rig, cardsOf } from './botRig';
import { rigPerTest } from './rigPerTest';

describe('typed commands: ids as typed, words not in the grammar', () => {
  let rig: Rig;
  rigPerTest((r) => (rig = r));

  const audits = () => rig.logs.filter((l) => l.event === 'governance.action');
  /** Signed in, with the audit line of the sign-in's own warm-up click forgotten. */
  const signedIn = async (index: number) => {
    const user = rig.user(index);
    await rig.signIn(user);
    rig.logs.length = 0;
    return user;
  };

  it('an upper-case GUID: audited and named as typed, sent to Graph lower-cased', async () => {
    const megan = await signedIn(0);
    const id = rig.seed.examples.groupRequestId;
    const typed = id.toUpperCase();
    assert.notEqual(typed, id, 'the seed id has letters');
    const { sent } = await rig.message(megan, `cancel group-request ${typed}`);
    const lines = audits();
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.targetId, typed, "targetId is the command's last id (contract §6)");
    assert.deepEqual(lines[0]!.targetIds, [typed]);
    assert.equal(lines[0]!.outcome, 'succeeded');
    const writes = rig.writes();
    assert.equal(writes.length, 1);
    assert.ok(writes[0]!.path.includes(`/${id}/cancel`), writes[0]!.path);
    const card = cardsOf(sent);
    assert.ok(card.includes(typed), card);
    assert.ok(!card.includes(id), 'the answer names the id as typed, not another spelling of it');
  });

  it('an id typed in lower case: audited as typed, as before', async () => {
    const megan = await signedIn(0);
    const id = rig.seed.examples.roleRequestId;
    await rig.message(megan, `cancel role-request ${id}`);
    assert.equal(audits()[0]!.targetId, id);
  });

  for (const [text, meant] of [
    ['?', 'help'],
    ['signout', 'sign out'],
    ['LOGOUT', 'sign out'],
    ['log out', 'sign out'],
  ] as const) {
    it(`"${text}" is not a command: the usage of "${meant}", no Graph call, no audit line`, async () => {
      const megan = await signedIn(0);
      const { sent } = await rig.message(megan, text);
      assert.equal(sent.length, 1);
      const summary = String(sent[0]!.summary);
      assert.equal(summary, `"${text}" is not a command. Did you mean "${meant}"?`);
      const card = cardsOf(sent);
      assert.match(card, new RegExp(`Did you mean \\\\"${meant}\\\\"`), card);
      assert.equal(rig.tenant.graphRequests().length, 0);
      assert.equal(audits().length, 0);
    });
  }
});
