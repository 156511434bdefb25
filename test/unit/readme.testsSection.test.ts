// README "Tests": what it says of the property tests is what they run. Each property runs RUNS
// cases (test/property/arbitraries.ts); the README once named an exception (2,000 cases for the
// oversize-field property) that stayed after that property was brought to RUNS.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';
import { RUNS } from '../property/arbitraries';

const root = projectRoot();
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const propertyDir = path.join(root, 'test', 'property');

/** The README's bullet on test/property, joined into one line. */
function propertyBullet(): string {
  const start = readme.indexOf('- `test/property`:');
  assert.ok(start >= 0, 'README names test/property');
  const end = readme.indexOf('\n- ', start + 1);
  return readme.slice(start, end).replace(/\s+/g, ' ');
}

describe('README: the tests section', () => {
  it('gives the number of cases every property runs, and no exception none of them has', () => {
    const runs = RUNS.numRuns.toLocaleString('en-US');
    const bullet = propertyBullet();
    assert.ok(bullet.includes(`${runs} cases per property`), bullet);
    // Any other count of cases in the bullet must be one a property file asks of fc.assert.
    const sources = fs
      .readdirSync(propertyDir)
      .filter((f) => f.endsWith('.ts') && f !== 'arbitraries.ts')
      .map((f) => fs.readFileSync(path.join(propertyDir, f), 'utf8'))
      .join('\n');
    // numRuns outside RUNS, other than fc.sample's (an example drawn, not a property run).
    const ownRuns = [...sources.matchAll(/(fc\.sample\([\s\S]{0,200}?)?numRuns:\s*([\d_]+)/g)]
      .filter((m) => m[1] === undefined)
      .map((m) => Number(m[2]!.replace(/_/g, '')).toLocaleString('en-US'));
    const stated = [...bullet.matchAll(/([\d,]+) for the one/g)].map((m) => m[1]!);
    for (const n of stated) assert.ok(ownRuns.includes(n), `the README says one property runs ${n} cases; none does`);
  });
});
