// The audit line is one JSON line per attempted operation (contract §6), written in the order of
// its object's keys: the caller's own fields first (via, userName, activityId), then the fixed
// fields, then those only some outcomes have. Pinned key by key, in order, so a change in how the
// object is built (auditLine.ts builds it without a spread followed by properties, for speed)
// cannot move, drop or add a field unseen.

import { strict as assert } from 'node:assert';
import { auditLineOf } from '../../src/domain/auditLine';
import { DecidedElsewhereError } from '../../src/domain/errors';

const REQUEST_ID = '11111111-2222-3333-4444-555555555555';
const FIXED = [
  'event',
  'operation',
  'targetId',
  'targetIds',
  'userId',
  'decision',
  'outcome',
  'errorCode',
  'graphStatus',
  'graphRequestId',
  'graphErrorCode',
  'graphClientRequestId',
  'graphAnswerClientRequestId',
  'graphDate',
  'graphDiagnostic',
  'correlationId',
  'cloud',
  'durationMs',
];

describe('audit line fields and their order', () => {
  it('a typed command that succeeded: the caller fields, then the fixed ones, values as given', () => {
    const line = auditLineOf(
      {
        ok: true,
        target: { operation: 'cancelRoleRequest', ids: { requestId: REQUEST_ID } },
        graph: { status: 200, requestId: 'graph-request', clientRequestId: 'client-request' },
        correlationId: 'corr',
        confirmedByRead: false,
      },
      'user-1',
      'global',
      7,
      { via: 'chat', userName: 'Ada' },
    );
    assert.deepEqual(Object.keys(line), ['via', 'userName', ...FIXED]);
    assert.deepEqual(
      { ...line },
      {
        via: 'chat',
        userName: 'Ada',
        event: 'governance.action',
        operation: 'cancelRoleRequest',
        targetId: REQUEST_ID,
        targetIds: [REQUEST_ID],
        userId: 'user-1',
        decision: null,
        outcome: 'succeeded',
        errorCode: null,
        graphStatus: 200,
        graphRequestId: 'graph-request',
        graphErrorCode: null,
        graphClientRequestId: 'client-request',
        graphAnswerClientRequestId: 'client-request',
        graphDate: null,
        graphDiagnostic: null,
        correlationId: 'corr',
        cloud: 'global',
        durationMs: 7,
      },
    );
  });

  it('a decision found made by the asker: justification length, then who decided, last', () => {
    const error = new DecidedElsewhereError(
      'decided',
      'Denied',
      'deny',
      'asker-1',
      null,
      { status: 200, requestId: 'read' },
      'afterRefusal',
      true,
    );
    const line = auditLineOf(
      {
        ok: false,
        target: {
          operation: 'decideRoleApproval',
          ids: { requestId: REQUEST_ID },
          decision: 'deny',
          justification: 'no',
        },
        error,
        correlationId: 'corr',
      },
      'asker-1',
      'global',
      3,
      // A caller field that the line also sets keeps its place and takes the line's value.
      { via: 'card.execute', outcome: 'overwritten', activityId: null },
    );
    assert.deepEqual(Object.keys(line), [
      'via',
      'outcome',
      'activityId',
      ...FIXED.filter((k) => k !== 'outcome'),
      'justificationLength',
      'foundState',
      'decidedBy',
      'decidedByAsker',
    ]);
    assert.equal(line.outcome, 'failed');
    assert.equal(line.errorCode, 'DECIDED_ELSEWHERE');
    assert.equal(line.justificationLength, 2);
    assert.equal(line.foundState, 'Denied');
    assert.equal(line.decidedBy, 'asker-1');
    assert.equal(line.decidedByAsker, true);
    assert.equal(line.mayHaveTakenEffect, undefined);
    assert.equal(line.notInParent, undefined);
  });
});
