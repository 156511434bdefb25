// Properties of card-button data over 10,000 generated values each: the bot's own button data with
// one part spoiled (an id, the operation, the decision, the stage, an approval's justification) is
// refused with no target, and the refusal says what is wrong. Any value and valid data are
// cardActions.parsing.test.ts.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { RUNS, LOWER_GUID, almostGuid, anyCaseGuid, anyValue, notGuid } from './arbitraries';
import {
  DECISIONS,
  JUSTIFICATION_MAX,
  OPERATIONS,
  Operation,
  assertRefusal,
  inputOf,
  needsWhyOnCard,
  isApproval,
  validButton,
  verdict,
} from '../fixtures/cardButtonData';

const GUID_ANY_CASE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether button data is acceptable, decided from the rules above (not from the parser). */
function acceptable(data: Record<string, unknown>): boolean {
  const op = data.operation;
  if (typeof op !== 'string' || !Object.hasOwn(OPERATIONS, op)) return false;
  const ids = data.ids;
  if (ids === null || typeof ids !== 'object') return false;
  const names = OPERATIONS[op as Operation];
  const idOf = (n: string): unknown => (ids as Record<string, unknown>)[n];
  if (!names.every((n) => typeof idOf(n) === 'string' && GUID_ANY_CASE.test(idOf(n) as string))) return false;
  const after = data.afterStage;
  if (after !== undefined && !(isApproval(op as Operation) && typeof after === 'string' && GUID_ANY_CASE.test(after)))
    return false;
  const raw = data.decision !== undefined ? data.decision : data.operationStatus;
  const choices = DECISIONS[op as Operation];
  if (!choices) return raw === undefined;
  if (typeof raw !== 'string' || !choices.includes(raw)) return false;
  if (!isApproval(op as Operation)) return true;
  const typed = data[inputOf(idOf('requestId') as string, raw)];
  const kept = typeof typed === 'string' ? typed.trim() : '';
  return !(needsWhyOnCard(op as Operation, raw) && kept === '') && kept.length <= JUSTIFICATION_MAX;
}

describe('property: card-button data', function () {
  this.timeout(60_000);

  it('refuses valid data with one id spoiled or missing, naming that id, with no target', () => {
    fc.assert(
      fc.property(validButton, fc.nat(), fc.oneof(almostGuid, notGuid, anyValue), fc.boolean(), (b, at, bad, drop) => {
        const names = OPERATIONS[b.operation];
        const name = names[at % names.length]!;
        if (!drop && typeof bad === 'string' && LOWER_GUID.test(bad.toLowerCase())) return; // still a GUID
        const ids = { ...(b.data.ids as Record<string, unknown>) };
        if (drop) delete ids[name];
        else ids[name] = bad;
        const data = { ...b.data, ids };
        const v = verdict(data);
        assertRefusal(v, data);
        assert.ok((v.problem as string).includes(name), `"${String(v.problem)}" names ${name}`);
      }),
      RUNS,
    );
  });

  it('refuses valid data whose operation, decision or afterStage is spoiled, with no target', () => {
    const spoil = fc.oneof(
      fc.record({ field: fc.constant('operation'), value: fc.oneof(fc.string({ maxLength: 30 }), anyValue) }),
      fc.record({
        field: fc.constantFrom('decision', 'operationStatus'),
        value: fc.oneof(fc.constantFrom('approve', 'deny', 'completed', 'failed', 'Deny', ''), anyValue),
      }),
      fc.record({ field: fc.constant('ids'), value: fc.oneof(fc.constantFrom(null, [], 'ids', 0), anyValue) }),
      fc.record({ field: fc.constant('afterStage'), value: fc.oneof(anyCaseGuid, almostGuid, notGuid, anyValue) }),
    );
    fc.assert(
      fc.property(validButton, spoil, (b, { field, value }) => {
        const data = { ...b.data, [field]: value };
        if (acceptable(data)) return; // the spoiled part still makes a valid button
        const v = verdict(data);
        assertRefusal(v, data);
      }),
      RUNS,
    );
  });

  it('refuses a deny or PIM approve without a justification and any approval whose justification is too long, saying so', () => {
    const approval = validButton.filter((b) => isApproval(b.operation));
    const spoiled = fc.oneof(
      fc.constantFrom(undefined, '', '   ', '\n\t'),
      fc.integer({ min: JUSTIFICATION_MAX + 1, max: 4000 }).map((n) => ' z'.repeat(n).slice(0, n + 1)),
    );
    fc.assert(
      fc.property(approval, spoiled, (b, typed) => {
        const key = inputOf((b.data.ids as Record<string, string>).requestId!, b.data.decision);
        const data: Record<string, unknown> = { ...b.data, [key]: typed };
        if (typed === undefined) delete data[key];
        if (acceptable(data)) return; // an approve needs no justification
        const v = verdict(data);
        assertRefusal(v, data);
        assert.match(String(v.problem), /justification/i);
      }),
      RUNS,
    );
  });
});
