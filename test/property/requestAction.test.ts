// Properties of `requestAction` on intake events (README, the event table), 10,000 cases each: a
// roleApproval's or groupApproval's request action, one of unifiedRoleAssignmentScheduleRequest's
// `action` values
// (https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentschedulerequest?view=graph-rest-1.0;
// a PIM for Groups member or owner may also ask to extend or renew:
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/groups-renew-extend)
// in any case, is taken as Graph spells it and changes nothing else in the event; any other value,
// or the field on another kind, is refused naming requestAction.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { RUNS, anyCaseGuid, anyValue } from './arbitraries';
// The parser under test, named in this one place: a rename is a one-line change.
import { parseEvent as parse } from '../../src/notifications/events';

/** The values the README lists, as Graph spells them. */
const ACTIONS = [
  'adminAssign',
  'adminUpdate',
  'adminRemove',
  'selfActivate',
  'selfDeactivate',
  'adminExtend',
  'adminRenew',
  'selfExtend',
  'selfRenew',
];
const KINDS = ['roleRequest', 'groupRequest', 'accessRequest', 'roleApproval', 'groupApproval', 'accessApproval'];

const event = fc.record({
  eventId: fc.stringMatching(/^[a-z0-9-]{1,40}$/),
  kind: fc.constantFrom(...KINDS),
  target: anyCaseGuid.map((userId) => ({ userId })),
  requestId: anyCaseGuid,
  principalName: fc.string({ maxLength: 50 }),
  roleName: fc.string({ maxLength: 50 }),
});
/** The kinds whose card offers a decision Graph cannot take for an extension or renewal. */
const TAKING = ['roleApproval', 'groupApproval'];
const approval = fc.tuple(event, fc.constantFrom(...TAKING)).map(([e, kind]) => ({ ...e, kind }));
const known = fc.constantFrom(...ACTIONS).chain((a) => fc.tuple(fc.constant(a), fc.mixedCase(fc.constant(a))));
/** Anything that is not one of the values in some case, and not absent (undefined or null). */
const unknown = fc
  .oneof(fc.string({ maxLength: 30 }), anyValue)
  .filter(
    (v) =>
      v !== undefined &&
      v !== null &&
      !(typeof v === 'string' && ACTIONS.some((a) => a.toLowerCase() === v.toLowerCase())),
  );

const problemsOf = (r: ReturnType<typeof parse>): string => (r.ok ? 'accepted' : r.problems.join(' | '));

describe('property: requestAction of intake events', function () {
  this.timeout(60_000);

  it("takes a roleApproval's or groupApproval's action in any case, as Graph spells it, and changes nothing else", () => {
    fc.assert(
      fc.property(approval, known, (e, [action, written]) => {
        const without = parse(e);
        const withIt = parse({ ...e, requestAction: written });
        assert.ok(without.ok && withIt.ok, problemsOf(withIt));
        assert.deepEqual(withIt.event, { ...without.event, requestAction: action });
      }),
      RUNS,
    );
  });

  it('refuses any other value on a roleApproval or groupApproval, and the field on another kind, naming requestAction', () => {
    fc.assert(
      fc.property(
        event,
        fc.oneof(
          unknown,
          known.map(([, w]) => w),
        ),
        (e, value) => {
          const valid =
            TAKING.includes(e.kind) &&
            typeof value === 'string' &&
            ACTIONS.some((a) => a.toLowerCase() === value.toLowerCase());
          if (valid) return;
          const r = parse({ ...e, requestAction: value });
          assert.ok(!r.ok, `${JSON.stringify(value)} on ${e.kind}`);
          assert.match(problemsOf(r), /requestAction/);
        },
      ),
      RUNS,
    );
  });
});
