// "my approvals" with 50 requests waiting (PIM roles, PIM for Groups, access packages) against a
// plain command turn (cancel of a fresh PIM role request), one user at a time on one bot process.
// Issue 9's aim: the list answers within 2x a plain command turn. The three first pages travel in
// one JSON batch (graph-reference §11: at most 20 requests per batch).

import { BotProcess, Who, World, message } from '../test/e2e/harness';
import { Run, turns } from './load';
import { f2, pct, printTable } from './stats';
import { freshRoleRequest } from './users';

const WAITING = { role: 17, group: 17, access: 16 } as const;

/** Fifty requests waiting for `approver`, across the three kinds. */
export function addWaitingApprovals(world: World, approver: Who): number {
  const hex = (n: number) => n.toString(16).padStart(12, '0');
  let n = 0;
  for (let i = 0; i < WAITING.role; i++) {
    world.tenant.addRoleRequest({
      id: `b1000000-0000-4000-8000-${hex(++n)}`,
      status: 'PendingApproval',
      roleName: 'Reports Reader',
      principal: 'Adele Vance',
      justification: 'bench',
      duration: 'PT4H',
      approvers: [approver.name],
      ageMinutes: n,
    });
  }
  for (let i = 0; i < WAITING.group; i++) {
    world.tenant.addGroupRequest({
      id: `b1000000-0000-4000-8000-${hex(++n)}`,
      status: 'PendingApproval',
      groupName: 'Finance approvers',
      accessId: 'member',
      principal: 'Adele Vance',
      justification: 'bench',
      duration: 'PT8H',
      approvers: [approver.name],
      ageMinutes: n,
    });
  }
  for (let i = 0; i < WAITING.access; i++) {
    world.tenant.addAccessRequest({
      id: `b1000000-0000-4000-8000-${hex(++n)}`,
      state: 'pendingApproval',
      status: 'PendingApproval',
      accessPackageName: 'Marketing campaign tools',
      requestor: 'Adele Vance',
      requestType: 'userAdd',
      approvers: [approver.name],
      ageMinutes: n,
    });
  }
  return n;
}

export async function runMyApprovals(opts: {
  world: World;
  simSpent: () => number;
  gov: BotProcess;
  approver: Who;
  scale: number;
}): Promise<void> {
  const { world, simSpent, gov, approver } = opts;
  // A multiple of 4: four rounds of count / 4 whole turns, so the per-turn figures divide by what ran.
  const count = 4 * Math.max(5, Math.round(50 * opts.scale));
  const waiting = addWaitingApprovals(world, approver);
  const list = () => message(world, approver, 'my approvals');
  const plain = () => message(world, approver, `cancel role-request ${freshRoleRequest(world.tenant)}`);
  // Warm both paths first (JIT, connections), then alternate rounds so drift hits both alike.
  await turns(world, simSpent, gov, 10, 1, list);
  await turns(world, simSpent, gov, 10, 1, plain);
  const lists: Run[] = [];
  const plains: Run[] = [];
  const before = world.tenant.graphRequests().length;
  for (let round = 0; round < 4; round++) {
    lists.push(await turns(world, simSpent, gov, count / 4, 1, list));
    plains.push(await turns(world, simSpent, gov, count / 4, 1, plain));
  }
  const sorted = (runs: Run[], key: 'latencies' | 'excluded') => runs.flatMap((r) => r[key]).sort((a, b) => a - b);
  const row = (label: string, key: 'latencies' | 'excluded', p: number) => {
    const a = pct(sorted(lists, key), p);
    const b = pct(sorted(plains, key), p);
    const ratio = a / b;
    return [label, f2(a), f2(b), f2(ratio), '<= 2x', ratio <= 2 ? 'yes' : 'NO'];
  };
  printTable(`my approvals with ${waiting} waiting vs a plain command turn (${count} turns each, one user)`, [
    ['figure (ms)', 'my approvals', 'cancel command', 'ratio', 'target', 'met'],
    row('median', 'latencies', 50),
    row('p95', 'latencies', 95),
    row('median without the simulator', 'excluded', 50),
  ]);
  const failures = [...lists, ...plains].reduce((n, r) => n + r.failures, 0);
  const graphPerList = (world.tenant.graphRequests().length - before) / count;
  console.log(
    `turns that failed: ${failures}; Graph requests logged per pair of turns: ${f2(graphPerList)} (the batch and the three reads it carries, plus the command's read and write)`,
  );
}
