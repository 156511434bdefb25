// What the tests of remembered commands read back from a rig: the audit lines it wrote, the id of
// the sign-in the OAuth card of a reply carries (the one `signin/tokenExchange` answers), and the
// periodic pass that ends those whose time ran out.

import { strict as assert } from 'node:assert';
import { sweepWithExpiredSignIns } from '../../src/bot/signInAbandoned';
import type { PendingCommand } from '../../src/bot/commandTurns';
import { AuditLine, GovernanceService, GraphPort } from '../../src/domain/governance';
import { createLogger } from '../../src/log';
import { PendingSignIns } from '../../src/state/signIns';
import type { Rig } from './botRig';
import type { FakeClock } from './fakeClock';

export const auditLinesOf = (rig: Rig) => rig.logs.filter((l) => l.event === 'governance.action');

export const exchangeIdIn = (sent: ReadonlyArray<{ attachments?: Array<{ content?: unknown }> }>): string =>
  (sent[0]!.attachments![0]!.content as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;

/** The one line of a role request cancel whose remembered command ended without running: failed,
 * SIGN_IN_REQUIRED, no Graph answer, and why (`abandoned`). */
export function assertAbandonedLine(
  line: Record<string, unknown>,
  expected: { requestId: string; userId: string; abandoned: string },
): void {
  assert.equal(line.event, 'governance.action');
  assert.equal(line.operation, 'cancelRoleRequest');
  assert.equal(line.targetId, expected.requestId);
  assert.deepEqual(line.targetIds, [expected.requestId]);
  assert.equal(line.userId, expected.userId.toLowerCase());
  assert.equal(line.outcome, 'failed');
  assert.equal(line.errorCode, 'SIGN_IN_REQUIRED');
  assert.equal(line.graphStatus, null);
  assert.equal(line.graphRequestId, null);
  assert.equal(line.abandoned, expected.abandoned);
  assert.equal(typeof line.correlationId, 'string');
}

/** The periodic pass's sweep of sign-ins whose time ran out, as the app wires it, on the state of
 * `rig` (an instance) at `clock`'s time: the lines it writes go to `swept`. */
export function expirySweep(
  rig: Rig,
  clock: FakeClock,
  swept: AuditLine[],
): ReturnType<typeof sweepWithExpiredSignIns> {
  const governance = new GovernanceService({
    cloud: 'global',
    graph: {} as GraphPort,
    audit: (line) => swept.push(line),
    newId: () => `sweep-${swept.length + 1}`,
    now: () => clock.now(),
  });
  const pending = new PendingSignIns<PendingCommand>(rig.state.records, { now: () => clock.now() });
  const logger = createLogger({ level: 'silent', destination: { write: () => undefined } });
  return sweepWithExpiredSignIns(pending, governance, (stop) => rig.state.sweepExpired(undefined, stop), logger);
}
