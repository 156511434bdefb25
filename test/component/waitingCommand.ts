// What the tests of remembered commands read back from a rig: the audit lines it wrote, and the
// id of the sign-in the OAuth card of a reply carries (the one `signin/tokenExchange` answers).

import { strict as assert } from 'node:assert';
import type { Rig } from './botRig';

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
