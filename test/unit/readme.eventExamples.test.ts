// The README's notification examples name requests of the sandbox's seed: each must say who asked
// and for what as the seed has it, or the card a newcomer posts in the sandbox names the wrong person.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';
import { loadDemoSeed } from '../../src/sandbox/seed';

const readme = fs.readFileSync(path.join(projectRoot(), 'README.md'), 'utf8');

/** The README's JSON examples that name a request with a requester. */
function eventExamples(): Array<Record<string, unknown>> {
  const blocks = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks
    .map((b) => JSON.parse(b) as Record<string, unknown>)
    .filter((e) => typeof e.requestId === 'string' && typeof e.principalName === 'string');
}

describe('README: the notification examples match the sandbox seed', () => {
  it('names the requester and the role, group or package the seed gives each example request', () => {
    const seed = loadDemoSeed();
    const known = new Map<string, { who: string; field: string; what: string }>();
    for (const r of seed.roleRequests) known.set(r.id, { who: r.principal, field: 'roleName', what: r.roleName });
    for (const r of seed.groupRequests) known.set(r.id, { who: r.principal, field: 'groupName', what: r.groupName });
    for (const r of seed.accessRequests)
      known.set(r.id, { who: r.requestor, field: 'accessPackageName', what: r.accessPackageName });
    const examples = eventExamples();
    assert.ok(examples.length >= 4, `only ${examples.length} examples found`);
    for (const e of examples) {
      const item = known.get(e.requestId as string);
      assert.ok(item, `${String(e.eventId)}: ${String(e.requestId)} is not a request of the seed`);
      assert.equal(e.principalName, item.who, `${String(e.eventId)} names the requester`);
      assert.equal(e[item.field], item.what, `${String(e.eventId)} names the ${item.field}`);
    }
  });

  it('addresses its user examples to the Playground user and says the sandbox has no channel of the others', () => {
    // The sandbox's Playground channel ids are not Teams' 19:… form the intake asks of a channelId,
    // so a channel example can only end undeliverable there; the README must say so.
    const blocks = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map(
      (m) => JSON.parse(m[1]!) as Record<string, unknown>,
    );
    const targets = blocks
      .map((e) => e.target)
      .filter((t): t is Record<string, string> => typeof t === 'object' && t !== null);
    const megan = loadDemoSeed().selfService.adminId;
    for (const t of targets) if (t.userId !== undefined) assert.equal(t.userId, megan);
    const channels = targets.filter((t) => t.channelId !== undefined);
    assert.ok(channels.length > 0);
    const words = ['no', 'one', 'two', 'three', 'four'];
    const own = readme.slice(readme.indexOf('To post events of your own to the sandbox bot'));
    for (const c of new Set(channels.map((t) => t.channelId))) {
      const said = new RegExp(
        `The ${words[channels.length]} examples? addressed to \`\\{"channelId":"${c}"\\}\`[^.]*sandbox has no such channel`,
      );
      assert.match(own, said);
    }
  });
});
