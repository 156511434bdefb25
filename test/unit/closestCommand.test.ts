import { strict as assert } from 'node:assert';
import { closestHeads, editDistance } from '../../src/bot/closestCommand';

describe('closestCommand', () => {
  it('counts inserts, deletes, changes and a swap of neighbours as one edit each', () => {
    assert.equal(editDistance('cancel', 'cancel', 3), 0);
    assert.equal(editDistance('cancle', 'cancel', 3), 1);
    assert.equal(editDistance('approval', 'approvals', 3), 1);
    assert.equal(editDistance('hepl', 'help', 3), 1);
    assert.equal(editDistance('halp', 'help', 3), 1);
    assert.equal(editDistance('kitten', 'sitting', 5), 3);
  });

  it('stops early past the cap, answering cap + 1', () => {
    assert.equal(editDistance('a', 'abcdefgh', 2), 3);
    assert.equal(editDistance('zzzzzzzz', 'abcdefgh', 2), 3);
  });

  it('keeps the nearest heads within reach, ties included, and none when all are far', () => {
    const heads = [
      { words: ['cancel', 'run'], usage: 'cancel run' },
      { words: ['cancel', 'role-request'], usage: 'cancel role-request' },
      { words: ['help'], usage: 'help' },
    ];
    assert.deepEqual(
      closestHeads(['cancel', 'rolerequest'], heads).map((h) => h.usage),
      ['cancel role-request'],
    );
    assert.deepEqual(
      closestHeads(['cancl'], heads).map((h) => h.usage),
      ['cancel run', 'cancel role-request'],
    );
    // "help" forgives one slip only: "hello" is two away.
    assert.deepEqual(closestHeads(['hello'], heads), []);
    assert.deepEqual(closestHeads([], heads), []);
  });

  it('takes a space left out, typed as a hyphen or added as a slip, and says how many words it read', () => {
    const heads = [
      { words: ['my', 'approvals'], usage: 'my approvals' },
      { words: ['cancel', 'role-request'], usage: 'cancel role-request' },
      { words: ['help'], usage: 'help' },
    ];
    const near = (typed: string) => closestHeads(typed.split(' '), heads).map((h) => `${h.usage}/${h.typedWords}`);
    assert.deepEqual(near('myapprovals'), ['my approvals/1']);
    assert.deepEqual(near('cancel-role-request x'), ['cancel role-request/1']);
    assert.deepEqual(near('cancel role request x'), ['cancel role-request/3']);
    assert.deepEqual(near('he lp'), ['help/2']);
    // Still far: a missing keyword is more than a slip.
    assert.deepEqual(near('approvals'), []);
  });

  it('takes what a head is also typed as word for word, before any slip of its own words', () => {
    const heads = [
      { words: ['help'], usage: 'help', alsoTypedAs: [['?']] },
      { words: ['sign', 'out'], usage: 'sign out', alsoTypedAs: [['logout'], ['log', 'out']] },
      { words: ['my', 'requests'], usage: 'my requests' },
    ];
    const usages = (typed: string[]) => closestHeads(typed, heads).map((h) => h.usage);
    assert.deepEqual(usages(['?']), ['help']);
    assert.deepEqual(usages(['logout']), ['sign out']);
    assert.deepEqual(usages(['log', 'out']), ['sign out']);
    assert.deepEqual(usages(['logout', 'now']), ['sign out']);
    // Not a prefix of it, and no slip of it: "!" is not "?", "log" is not "log out", "logot" not "logout".
    assert.deepEqual(usages(['!']), []);
    assert.deepEqual(usages(['log']), []);
    assert.deepEqual(usages(['logot']), []);
  });
});
