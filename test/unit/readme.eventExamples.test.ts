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
});
