// Properties of card-button data over 10,000 generated values each: anything a click may carry
// (any JSON, any JavaScript value), valid button data, and valid data with parts spoiled, for
// every operation a button can name: the cancels, the resume and the approvals (approve, or deny
// with the justification typed in the card). Button data is validated like a typed command: no
// exception escapes, a refusal says what is wrong, and only GUIDs ever become an operation's ids.
// Valid data with one part spoiled is refused: cardActions.refusals.test.ts.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { RUNS, LOWER_GUID, almostGuid, anyCaseGuid, anyValue, notGuid } from './arbitraries';
import {
  DECISIONS,
  JUSTIFICATION_MAX,
  NAMES,
  OPERATIONS,
  Operation,
  Verdict,
  assertRefusal,
  inputOf,
  isApproval,
  safeJson,
  takesDecision,
  validButton,
  verdict,
} from '../fixtures/cardButtonData';

function assertOnlyGuids(v: Verdict, input: unknown): void {
  if (v.kind !== 'operation') return;
  assert.ok(Object.hasOwn(OPERATIONS, v.operation), `unknown operation ${v.operation}`);
  assert.deepEqual(Object.keys(v.ids).sort(), [...OPERATIONS[v.operation as Operation]].sort());
  for (const [name, id] of Object.entries(v.ids)) assert.match(id, LOWER_GUID, `${name} from ${safeJson(input)}`);
  const op = v.operation as Operation;
  if (takesDecision(op)) assert.ok(DECISIONS[op]!.includes(v.status ?? ''), `decision ${String(v.status)}`);
  else assert.equal(v.status, undefined);
  if (!isApproval(op)) assert.equal(v.justification, undefined);
  if (v.justification !== undefined) {
    assert.equal(v.justification, v.justification.trim());
    assert.ok(v.justification.length > 0 && v.justification.length <= JUSTIFICATION_MAX);
  }
  if (v.status === 'deny') assert.ok(v.justification, 'a deny carries a justification');
  // The stage a card showed decided: only on an approval, only a GUID, never among the ids (the
  // write sends a stage id it is given without reading: graphGateway.ts).
  if (v.afterStage !== undefined) {
    assert.ok(isApproval(op), `afterStage on ${op}`);
    assert.match(v.afterStage, LOWER_GUID, `afterStage from ${safeJson(input)}`);
  }
}

describe('property: card-button data', function () {
  this.timeout(60_000);

  it('answers any value without throwing; a refusal names the problem; only GUIDs become ids', () => {
    const shaped = fc.record(
      {
        verb: fc.oneof(fc.constant('governance.act'), anyValue),
        operation: fc.oneof(fc.constantFrom(...NAMES, '__proto__', 'constructor', 'toString'), anyValue),
        ids: fc.oneof(
          fc.dictionary(
            fc.constantFrom('workflowId', 'runId', 'requestId', 'taskId', 'taskProcessingResultId', '__proto__'),
            fc.oneof(anyCaseGuid, notGuid, anyValue),
          ),
          anyValue,
        ),
        operationStatus: fc.oneof(fc.constantFrom('completed', 'failed', 'Completed', ''), anyValue),
        decision: fc.oneof(fc.constantFrom('approve', 'deny', 'completed', 'failed', 'Approve', ''), anyValue),
        afterStage: fc.oneof(anyCaseGuid, almostGuid, notGuid, anyValue),
      },
      { requiredKeys: [] },
    );
    // Random values make an operation about 4 times in 10,000, never an approval with a
    // justification or a stage: the bot's own button data, with any of its parts spoiled, reaches
    // every check of assertOnlyGuids on every case the parser takes.
    const spoiler = fc.oneof(
      almostGuid,
      notGuid,
      anyValue,
      fc.constantFrom('', '   ', 'approve', 'deny', 'Deny'),
      fc.integer({ min: JUSTIFICATION_MAX - 2, max: JUSTIFICATION_MAX + 40 }).map((n) => ` ${'z'.repeat(n)} `),
    );
    const nearButton = fc
      .tuple(
        validButton,
        fc.array(fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: spoiler }), {
          minLength: 6,
          maxLength: 6,
        }),
      )
      .map(([b, swaps]) => {
        const data: Record<string, unknown> = { ...b.data, ids: { ...(b.data.ids as Record<string, unknown>) } };
        const ids = data.ids as Record<string, unknown>;
        const key = inputOf(Object.values(ids)[0] as string, data.decision);
        const parts: Array<(v: unknown) => void> = [
          ...Object.keys(ids).map((n) => (v: unknown) => (ids[n] = v)),
          (v) => (data[data.operationStatus !== undefined ? 'operationStatus' : 'decision'] = v),
          (v) => (data[key] = v),
          (v) => (data.afterStage = v),
        ];
        swaps.forEach((v, i) => {
          if (v !== null && i < parts.length) parts[i]!(v);
        });
        return data;
      });
    fc.assert(
      fc.property(fc.oneof(anyValue, shaped, nearButton), (data) => {
        const v = verdict(data);
        if (v.kind === 'refused') assertRefusal(v, data);
        assertOnlyGuids(v, data);
      }),
      RUNS,
    );
  });

  it('parses the data the bot puts on its buttons, also after a JSON round trip, ids in lower case', () => {
    fc.assert(
      fc.property(validButton, fc.boolean(), (b, viaJson) => {
        const data: unknown = viaJson ? JSON.parse(JSON.stringify(b.data)) : b.data;
        assert.deepEqual(verdict(data), b.expected);
      }),
      RUNS,
    );
  });
});
