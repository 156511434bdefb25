// "my requests" beside "my approvals" (bench/approvals.ts): the user's own requests in every state
// cancel accepts (eleven `eq` reads in one JSON batch, graph-reference §11) against a plain command
// turn, with the Graph round trips and the reads they carry per list. Figures, not assertions.

import { BotProcess, Who, World, message } from '../test/e2e/harness';
import { Run, turns } from './load';
import { f2, pct, printTable } from './stats';
import { freshRoleRequest } from './users';

export async function runMyRequests(opts: {
  world: World;
  simSpent: () => number;
  gov: BotProcess;
  user: Who;
  scale: number;
}): Promise<void> {
  const { world, simSpent, gov, user } = opts;
  const count = Math.max(20, Math.round(200 * opts.scale));
  const list = () => message(world, user, 'my requests');
  const plain = () => message(world, user, `cancel role-request ${freshRoleRequest(world.tenant)}`);
  await turns(world, simSpent, gov, 10, 1, list);
  await turns(world, simSpent, gov, 10, 1, plain);
  const lists: Run[] = [];
  const plains: Run[] = [];
  let trips = 0;
  let reads = 0;
  for (let round = 0; round < 4; round++) {
    const before = world.tenant.graphRequests().length;
    lists.push(await turns(world, simSpent, gov, count / 4, 1, list));
    const during = world.tenant.graphRequests().slice(before);
    trips += during.filter((r) => !r.inBatch).length;
    reads += during.filter((r) => r.inBatch || r.method === 'GET').length;
    plains.push(await turns(world, simSpent, gov, count / 4, 1, plain));
  }
  const sorted = (runs: Run[], key: 'latencies' | 'excluded') => runs.flatMap((r) => r[key]).sort((a, b) => a - b);
  const row = (label: string, key: 'latencies' | 'excluded', p: number) => {
    const a = pct(sorted(lists, key), p);
    const b = pct(sorted(plains, key), p);
    return [label, f2(a), f2(b), f2(a / b)];
  };
  printTable(`my requests vs a plain command turn (${count} turns each, one user)`, [
    ['figure (ms)', 'my requests', 'cancel command', 'ratio'],
    row('median', 'latencies', 50),
    row('p95', 'latencies', 95),
    row('median without the simulator', 'excluded', 50),
  ]);
  const failures = [...lists, ...plains].reduce((n, r) => n + r.failures, 0);
  // The turns run, not `count`: a round of count / 4 turns is rounded up.
  const listed = lists.reduce((n, r) => n + r.latencies.length + r.failures, 0);
  console.log(
    `turns that failed: ${failures}; per "my requests": ${f2(trips / listed)} Graph round trips carrying ${f2(reads / listed)} reads`,
  );
}
