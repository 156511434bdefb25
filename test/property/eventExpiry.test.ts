// Properties of `approvalExpiresDateTime` on intake events (README, the event table), 10,000 cases
// each: any value on any kind never throws; an access package event takes a real ISO 8601 date and
// time with its time zone as the moment it names, with a notice naming the field and the intake's
// clock when that moment is not after the clock (and none when it is), and refuses anything else
// naming the field; every other kind refuses the field. The oracle is written from the rules (days per month, leap years,
// offsets), not from the parser nor from Date: it counts the days from 1970-01-01 by the proleptic
// Gregorian calendar ISO 8601 uses, and is itself checked against a table of days counted by hand.
// An access package approval lapses when its stage's
// durationBeforeAutomaticDenial has passed
// (https://learn.microsoft.com/en-us/graph/api/resources/accesspackageapprovalstage), PIM approvals
// 24 hours after the request
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow).

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { RUNS, anyCaseGuid, anyValue } from './arbitraries';
import { parseEvent as parse } from '../../src/notifications/events';

const ACCESS_KINDS = ['accessRequest', 'accessApproval'] as const;
const OTHER_KINDS = ['roleRequest', 'groupRequest', 'roleApproval', 'groupApproval', 'workflowRun'] as const;

/** A valid event of the kind, to a category, without the field. */
function event(kind: string, guid: string): Record<string, unknown> {
  const common = { eventId: 'e-1', kind, target: { category: 'approvals' } };
  return kind === 'workflowRun' ? { ...common, workflowId: guid, runId: guid } : { ...common, requestId: guid };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, m: number) => [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;

const DAY = 86_400_000;

/** The days from 1970-01-01 to a day of the proleptic Gregorian calendar (years before 1 counted
 * as ISO 8601 does: year 0 is 1 BC, a leap year). Whole 400-year cycles of 146,097 days, then the
 * days of the cycle with the year taken to begin on 1 March, so that the leap day is its last day;
 * 719,468 is the count from 0000-03-01 to 1970-01-01. Only integer arithmetic: no Date method. */
function daysFromEpoch(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Days counted by hand, not by any calendar code: 0000-01-01 is 1970 years of 365 days and 478
 * leap days (the 493 multiples of 4 in 0-1969, less the 15 centuries not divisible by 400) before
 * 1970-01-01; year 0 is a leap year (divisible by 400), so its February has 29 days; 1900 is not. */
const KNOWN_DAYS: ReadonlyArray<readonly [string, number]> = [
  ['1970-01-01', 0],
  ['2000-01-01', 30 * 365 + 7], // 1972-1996: 7 leap days
  ['0000-01-01', -(1970 * 365 + 478)],
  ['0000-02-29', -(1970 * 365 + 478) + 31 + 28],
  ['0000-03-01', -(1970 * 365 + 478) + 31 + 29],
  ['0001-01-01', -(1970 * 365 + 478) + 366],
  ['0099-12-31', -(1970 * 365 + 478) + 100 * 365 + 25 - 1], // 25 leap years in 0-99: 0, 4, …, 96
  ['1900-03-01', -(70 * 365 + 17) + 31 + 28], // 1900-1969: 17 leap years (1904-1968)
  ['2400-02-29', 430 * 365 + 104 + 31 + 28], // 1970-2399: 107 multiples of 4 (1972-2396), less 2100, 2200, 2300
];

/** Date-and-time parts, some out of range on purpose; the text Graph would write for them. */
const parts = fc.record({
  // Years 0000-0099 included: Date.UTC reads them as 1900-1999 (0000-02-29 exists, 1900-02-29 does not).
  y: fc.oneof(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1970, max: 2400 })),
  mo: fc.integer({ min: 1, max: 12 }),
  d: fc.integer({ min: 1, max: 31 }),
  h: fc.integer({ min: 0, max: 25 }),
  mi: fc.integer({ min: 0, max: 61 }),
  s: fc.option(fc.integer({ min: 0, max: 61 }), { nil: undefined }),
  fraction: fc.option(fc.stringMatching(/^[0-9]{1,7}$/), { nil: undefined }),
  offset: fc.option(
    fc.record({ sign: fc.constantFrom(1, -1), h: fc.integer({ min: 0, max: 25 }), m: fc.integer({ min: 0, max: 61 }) }),
    {
      nil: undefined,
    },
  ),
});
type Parts = typeof parts extends fc.Arbitrary<infer T> ? T : never;

function text(p: Parts): string {
  const seconds = p.s === undefined ? '' : `:${pad(p.s)}${p.fraction === undefined ? '' : `.${p.fraction}`}`;
  const zone = p.offset === undefined ? 'Z' : `${p.offset.sign > 0 ? '+' : '-'}${pad(p.offset.h)}:${pad(p.offset.m)}`;
  return `${pad(p.y, 4)}-${pad(p.mo)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}${seconds}${zone}`;
}

/** The moment the parts name, or null when they name none (no such day, hour, minute or offset). */
function moment(p: Parts): number | null {
  const inRange =
    p.d <= daysIn(p.y, p.mo) &&
    p.h <= 23 &&
    p.mi <= 59 &&
    (p.s ?? 0) <= 59 &&
    (p.offset === undefined || (p.offset.h <= 23 && p.offset.m <= 59));
  if (!inRange) return null;
  // A fraction is written only after seconds (text above).
  const ms = p.s === undefined || p.fraction === undefined ? 0 : Math.floor(Number(`0.${p.fraction}`) * 1000);
  const offsetMinutes = p.offset === undefined ? 0 : p.offset.sign * (p.offset.h * 60 + p.offset.m);
  // The year as written (counted from the epoch), not Date.UTC's 1900 + year for 0-99.
  const time = ((p.h * 60 + p.mi) * 60 + (p.s ?? 0)) * 1000 + ms;
  return daysFromEpoch(p.y, p.mo, p.d) * DAY + time - offsetMinutes * 60_000;
}

const problemsOf = (r: ReturnType<typeof parse>): string => (r.ok ? '' : r.problems.join(' '));

/** An intake clock before every moment the parts can name (0000-01-01 less the largest offset), so
 * the properties of the text are checked apart from the notice on a moment already past. */
const BEFORE_ALL = (daysFromEpoch(0, 1, 1) - 2) * DAY;

/** Parts that must come up in every run, whatever the draw: the days where years 0-99 read as
 * 1900-1999 go wrong (year 0 is a leap year, 1900 is not), the first and last of those years. */
const EDGES: readonly Parts[] = [
  { y: 0, mo: 2, d: 29, h: 0, mi: 0, s: undefined, fraction: undefined, offset: undefined },
  { y: 0, mo: 2, d: 29, h: 23, mi: 59, s: 59, fraction: '999', offset: { sign: -1, h: 23, m: 59 } },
  { y: 0, mo: 2, d: 30, h: 0, mi: 0, s: undefined, fraction: undefined, offset: undefined },
  { y: 0, mo: 3, d: 1, h: 0, mi: 0, s: 0, fraction: undefined, offset: { sign: 1, h: 1, m: 0 } },
  { y: 99, mo: 12, d: 31, h: 23, mi: 59, s: 59, fraction: undefined, offset: undefined },
  { y: 1900, mo: 2, d: 29, h: 0, mi: 0, s: undefined, fraction: undefined, offset: undefined },
];

describe('intake events: the moment an access package approval lapses', () => {
  it("the oracle's day count agrees with the days counted by hand", () => {
    for (const [day, days] of KNOWN_DAYS) {
      const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
      assert.equal(daysFromEpoch(y, mo, d), days, day);
      assert.equal(
        moment({ y, mo, d, h: 0, mi: 0, s: undefined, fraction: undefined, offset: undefined }),
        days * DAY,
        day,
      );
    }
    assert.equal(moment(EDGES[2]!), null, '0000-02-30 does not exist');
    assert.equal(moment(EDGES[5]!), null, '1900-02-29 does not exist');
  });

  it('takes the days counted by hand as the moments they are (years 0000-0099 as written)', () => {
    for (const [day, days] of KNOWN_DAYS) {
      const r = parse(
        {
          ...event('accessApproval', '95c690fb-3eb3-4942-a03f-4524aed6f31e'),
          approvalExpiresDateTime: `${day}T00:00:00Z`,
        },
        BEFORE_ALL,
      );
      assert.ok(r.ok, `${day}: ${problemsOf(r)}`);
      assert.equal(r.event.approvalExpiresAt, days * DAY, day);
    }
  });

  it('an access package event takes a real date and time as the moment it names, and refuses one that is not', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ACCESS_KINDS), anyCaseGuid, parts, (kind, guid, p) => {
        const r = parse({ ...event(kind, guid), approvalExpiresDateTime: text(p) }, BEFORE_ALL);
        const expected = moment(p);
        if (expected === null) {
          assert.ok(!r.ok, text(p));
          assert.match(problemsOf(r), /approvalExpiresDateTime/);
        } else {
          assert.ok(r.ok, `${text(p)}: ${problemsOf(r)}`);
          assert.equal(r.event.approvalExpiresAt, expected, text(p));
          assert.equal(r.notices, undefined, text(p));
        }
      }),
      { ...RUNS, examples: EDGES.map((p) => ['accessApproval', '95c690fb-3eb3-4942-a03f-4524aed6f31e', p]) },
    );
  });

  // A moment at or before the intake's clock: the approval was denied automatically then, so its
  // reminder would never come. The README's intake section takes the event with a notice saying so
  // (fixed example moments pass; a retry of an accepted event stays a duplicate), the moment as stated.
  it('takes a moment at or before the intake clock with a notice, and one after it without', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ACCESS_KINDS),
        anyCaseGuid,
        parts,
        fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }),
        (kind, guid, p, shift) => {
          const expected = moment(p);
          fc.pre(expected !== null);
          const now = expected! + shift;
          const r = parse({ ...event(kind, guid), approvalExpiresDateTime: text(p) }, now);
          assert.ok(r.ok, `${text(p)} at ${now}: ${problemsOf(r)}`);
          assert.equal(r.event.approvalExpiresAt, expected);
          if (expected! <= now) {
            assert.equal(r.notices?.length, 1, `${text(p)} at ${now}`);
            const notice = r.notices?.[0] ?? '';
            assert.ok(
              notice.startsWith(`approvalExpiresDateTime ${text(p).slice(0, 40)} is not in the future`),
              notice,
            );
            assert.ok(notice.includes(`(now ${new Date(now).toISOString()})`), notice);
          } else {
            assert.equal(r.notices, undefined, `${text(p)} at ${now}`);
          }
        },
      ),
      RUNS,
    );
  });

  it('any other value on any kind never throws, and is refused naming the field', () => {
    const notDateTime = anyValue.filter((v) => v !== undefined && v !== null && typeof v !== 'string');
    const looseText = fc.string({ maxLength: 40 }).filter((v) => !/^\d{4}-\d{2}-\d{2}T/.test(v));
    fc.assert(
      fc.property(
        fc.constantFrom(...ACCESS_KINDS, ...OTHER_KINDS),
        anyCaseGuid,
        fc.oneof(notDateTime, looseText),
        (kind, guid, value) => {
          const r = parse({ ...event(kind, guid), approvalExpiresDateTime: value });
          assert.ok(!r.ok);
          assert.match(problemsOf(r), /approvalExpiresDateTime/);
        },
      ),
      RUNS,
    );
  });

  it('every other kind refuses even a real date and time, and no kind needs the field', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...OTHER_KINDS),
        fc.constantFrom(...ACCESS_KINDS, ...OTHER_KINDS),
        anyCaseGuid,
        parts,
        (other, any, guid, p) => {
          const refused = parse({ ...event(other, guid), approvalExpiresDateTime: text(p) }, BEFORE_ALL);
          assert.ok(!refused.ok);
          assert.match(problemsOf(refused), /approvalExpiresDateTime is for access package events/);
          const without = parse(event(any, guid));
          assert.ok(without.ok, problemsOf(without));
          assert.equal(without.event.approvalExpiresAt, undefined);
        },
      ),
      RUNS,
    );
  });
});
