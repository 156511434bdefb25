// README "The sandbox": the demo users table says what each user shows, so a reader must be able
// to act as them. The Playground has one current user; its "Mock an Activity" > "Custom activity"
// dialog posts an activity whose `from` the reader sets (what test/e2e/sandbox.signIn.test.ts does
// through the same dialog's API, /_internal/v1/customActivities). The README must say how, and
// the object ids it gives must be the seed's.
// https://learn.microsoft.com/en-us/microsoftteams/platform/teams-sdk/developer-tools/agents-playground/overview
// ("It lets you chat with your agent, mock activities, and inspect requests and responses")

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';
import { loadDemoSeed } from '../../src/sandbox/seed';

const readme = fs.readFileSync(path.join(projectRoot(), 'README.md'), 'utf8');

describe('README: acting as the sandbox demo users', () => {
  const section = readme.slice(readme.indexOf('## The sandbox'), readme.indexOf('## Audit log'));

  it('says how to send a command as another user from the Playground', () => {
    assert.match(section, /\*Mock an Activity\* > \*Custom activity\*/);
    assert.match(section, /"aadObjectId":"<object id>"/);
    // The dialog's template has "type":"<custom-activity-type>": a command needs a message.
    assert.match(section, /`"type":"message"`/);
    assert.match(section, /`"text":"<command>"`/);
    assert.doesNotMatch(section, /cannot switch users/);
  });

  it('gives each user of the table the object id the seed gives them', () => {
    const rows = section.split('\n').filter((l) => /^\| [A-Z][a-z]+ [A-Z][a-z]+( \(default\))? \| `/.test(l));
    assert.ok(rows.length >= 5, `demo user rows: ${rows.length}`);
    const seed = loadDemoSeed();
    for (const row of rows) {
      const [, name, id] = /^\| ([A-Za-z ]+?)(?: \(default\))? \| `([^`]+)` \|/.exec(row) ?? [];
      const user = seed.users.find((u) => u.displayName === name);
      assert.ok(user, `${name} is not a seed user`);
      assert.equal(id, user.id, name);
    }
  });

  it("counts Megan Bowen's own requests, and those naming her as approver, as the seed holds them", () => {
    // `my requests` lists her own requests: the seed's adminOwnRequestIds and the two she may not
    // approve herself (test/component/lists.defaultUser.test.ts lists them through the bot).
    const own = loadDemoSeed().selfService;
    const namingHer = [own.adminSelfApprovalRequestId, own.adminSelfApprovalAccessRequestId];
    const listed = [...own.adminOwnRequestIds, ...namingHer];
    const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
    const megan = section.split('\n').find((l) => l.startsWith('| Megan Bowen')) ?? assert.fail('no Megan Bowen row');
    const [, total, approver] = /lists (\w+) requests of her own, (\w+) of which/.exec(megan) ?? [];
    assert.equal(total, words[listed.length], megan);
    assert.equal(approver, words[namingHer.length], megan);
    assert.match(section, new RegExp(`when all ${words[listed.length]} are cancelled`));
  });
});
