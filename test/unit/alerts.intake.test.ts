// Intake events that name a category instead of a recipient, event ids the bot keeps for its own
// alerts, and the moment an access package approval lapses; the one word the status endpoint gives a fan-out; the alert commands' grammar.

import { strict as assert } from 'node:assert';
import { parseCommand } from '../../src/bot/commands';
import { parseEvent } from '../../src/notifications/events';
import { fanoutState } from '../../src/notifications/fanoutStatus';

const base = {
  eventId: 'pim-1',
  kind: 'roleRequest',
  requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
  principalName: 'Megan Bowen',
};

describe('alerts: category events and commands', () => {
  it('accepts a category target and refuses an unknown category or two targets at once', () => {
    const ok = parseEvent({ ...base, target: { category: 'roleRequests' } });
    assert.ok(ok.ok);
    assert.deepEqual(ok.event.target, { category: 'roleRequests' });
    const unknown = parseEvent({ ...base, target: { category: 'everything' } });
    assert.ok(!unknown.ok);
    assert.match(unknown.problems.join(' '), /target\.category must be one of roleRequests/);
    const both = parseEvent({ ...base, target: { category: 'roleRequests', channelId: '19:a@thread.tacv2' } });
    assert.ok(!both.ok);
    assert.match(both.problems.join(' '), /not several/);
  });

  it("refuses an event id that begins like the bot's own alert ids (action:, reminder:, digest:)", () => {
    for (const eventId of ['action:1b2c', 'reminder:roleRequest:95c690fb', 'Digest:2026-11-28:19:ops.thread.tacv2']) {
      const refused = parseEvent({ ...base, eventId, target: { category: 'roleRequests' } });
      assert.ok(!refused.ok, eventId);
      assert.match(refused.problems.join(' '), /eventId may not begin with "action:", "reminder:" or "digest:"/);
    }
    assert.ok(parseEvent({ ...base, eventId: 'pim:action:1', target: { category: 'roleRequests' } }).ok);
  });

  // An access package approval is denied automatically when its policy stage's
  // durationBeforeAutomaticDenial has passed since the request
  // (https://learn.microsoft.com/en-us/graph/api/resources/accesspackageapprovalstage): only the
  // sender knows that moment, so it may say it. PIM approvals always lapse 24 hours after the request
  // (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow).
  it("takes an access package approval's automatic denial time, with its time zone, and refuses it on PIM events", () => {
    // The intake's clock before every moment below (a moment already past gets a notice: next test).
    const parse = (body: unknown) => parseEvent(body, Date.UTC(2026, 2, 1));
    const access = { ...base, kind: 'accessApproval', target: { category: 'approvals' }, accessPackageName: 'Tools' };
    const ok = parse({ ...access, approvalExpiresDateTime: '2026-03-18T09:30:00+01:00' });
    assert.ok(ok.ok, JSON.stringify(ok));
    assert.equal(ok.event.approvalExpiresAt, Date.UTC(2026, 2, 18, 8, 30));
    const request = parse({
      ...access,
      kind: 'accessRequest',
      approvalExpiresDateTime: '2026-03-18T08:30:00.1234567Z',
    });
    assert.ok(request.ok);
    assert.equal(request.event.approvalExpiresAt, Date.UTC(2026, 2, 18, 8, 30, 0, 123));
    const without = parse(access);
    assert.ok(without.ok);
    assert.equal(without.event.approvalExpiresAt, undefined);
    for (const bad of ['2026-03-18', '2026-03-18T08:30:00', 'tomorrow', 1773822600000, '']) {
      const refused = parse({ ...access, approvalExpiresDateTime: bad });
      assert.ok(!refused.ok, String(bad));
      assert.match(
        refused.problems.join(' '),
        /approvalExpiresDateTime must be an ISO 8601 date and time with its time zone/,
      );
    }
    for (const impossible of [
      '2026-02-30T08:30:00Z',
      '2026-04-31T08:30:00Z',
      '2026-03-18T24:00:00Z',
      '2026-03-18T08:60:00Z',
    ]) {
      const refused = parse({ ...access, approvalExpiresDateTime: impossible });
      assert.ok(!refused.ok, impossible);
      assert.match(refused.problems.join(' '), /approvalExpiresDateTime names a day or a time that does not exist/);
    }
    // ISO 8601 years are years as written (proleptic Gregorian): 0000 is a leap year, 0100 is not.
    // Read with a clock before them (such moments are long past, and get a notice as such: next test).
    const yearOne = new Date(0);
    yearOne.setUTCFullYear(-1, 0, 1);
    const early = (body: unknown) => parseEvent(body, yearOne.getTime());
    const yearZero = early({ ...access, approvalExpiresDateTime: '0000-02-29T08:30:00Z' });
    assert.ok(yearZero.ok, JSON.stringify(yearZero));
    assert.equal(new Date(yearZero.event.approvalExpiresAt!).toISOString(), '0000-02-29T08:30:00.000Z');
    const year50 = early({ ...access, approvalExpiresDateTime: '0050-01-01T00:00:00Z' });
    assert.ok(year50.ok, JSON.stringify(year50));
    assert.equal(new Date(year50.event.approvalExpiresAt!).getUTCFullYear(), 50);
    for (const impossible of ['0100-02-29T08:30:00Z', '0001-02-29T08:30:00Z']) {
      const refused = early({ ...access, approvalExpiresDateTime: impossible });
      assert.ok(!refused.ok, impossible);
      assert.match(refused.problems.join(' '), /approvalExpiresDateTime names a day or a time that does not exist/);
    }
    const pim = parse({
      ...base,
      target: { category: 'roleRequests' },
      approvalExpiresDateTime: '2026-03-18T08:30:00Z',
    });
    assert.ok(!pim.ok);
    assert.match(
      pim.problems.join(' '),
      /approvalExpiresDateTime is for access package events \(accessRequest, accessApproval\) only/,
    );
    const run = parse({
      eventId: 'wf-1',
      kind: 'workflowRun',
      target: { category: 'workflowRuns' },
      workflowId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
      runId: '95c690fb-3eb3-4942-a03f-4524aed6f31f',
      approvalExpiresDateTime: '2026-03-18T08:30:00Z',
    });
    assert.ok(!run.ok);
    assert.match(run.problems.join(' '), /for access package events/);
  });

  // A moment at or before the intake's clock is one at which the approval was already denied
  // automatically (https://learn.microsoft.com/en-us/graph/api/resources/accesspackageapprovalstage:
  // durationBeforeAutomaticDenial): its reminder (4 hours before) can never come. The README's
  // intake section takes the event all the same (fixed example moments pass; a retry of an event
  // accepted while its moment was ahead stays a duplicate), with the moment as stated (the digest's
  // waiting list learns the item has lapsed) and a notice naming the field and the bot's time.
  it('takes an access package approval moment that is not in the future with a notice, far past years included', () => {
    const now = Date.UTC(2026, 10, 30, 12, 0);
    /** A UTC moment of the year as written (Date.UTC would read 0-99 as 1900-1999). */
    const written = (year: number, month: number, day: number, hour = 0, minute = 0) => {
      const at = new Date(0);
      at.setUTCFullYear(year, month, day);
      return at.setUTCHours(hour, minute);
    };
    for (const kind of ['accessApproval', 'accessRequest']) {
      const access = { ...base, kind, target: { category: 'approvals' } };
      for (const [past, at] of [
        ['2026-11-30T12:00:00Z', now], // exactly now
        ['2026-11-30T12:59:59+01:00', now - 1000], // a second ago, in another time zone
        ['2025-01-01T00:00:00Z', Date.UTC(2025, 0, 1)],
        ['0050-01-01T00:00:00Z', written(50, 0, 1)],
        ['0000-02-29T08:30:00Z', written(0, 1, 29, 8, 30)],
      ] as const) {
        const taken = parseEvent({ ...access, approvalExpiresDateTime: past }, now);
        assert.ok(taken.ok, `${kind} ${past}: ${JSON.stringify(taken)}`);
        assert.equal(taken.event.approvalExpiresAt, at, past);
        assert.deepEqual(taken.notices, [
          `approvalExpiresDateTime ${past} is not in the future (now 2026-11-30T12:00:00.000Z): that approval was ` +
            'denied automatically then, so no reminder will be sent; send the moment of the stage waiting now.',
        ]);
      }
      const ahead = parseEvent({ ...access, approvalExpiresDateTime: '2026-11-30T12:00:01Z' }, now);
      assert.ok(ahead.ok, JSON.stringify(ahead));
      assert.equal(ahead.event.approvalExpiresAt, now + 1000);
      assert.equal('notices' in ahead, false, 'no notices for a moment ahead');
      const without = parseEvent(access, now);
      assert.ok(without.ok);
      assert.equal('notices' in without, false, 'nor without a moment');
    }
    // A past moment on an event with a problem: refused for the problem (nothing is stored).
    const bad = parseEvent(
      {
        ...base,
        kind: 'accessApproval',
        target: { category: 'nowhere' },
        approvalExpiresDateTime: '2025-01-01T00:00:00Z',
      },
      now,
    );
    assert.ok(!bad.ok);
    assert.match(bad.problems.join(' '), /target\.category must be one of/);
    // Without a clock of its own the intake reads the time now.
    const access = { ...base, kind: 'accessApproval', target: { category: 'approvals' } };
    const minuteAgo = parseEvent({ ...access, approvalExpiresDateTime: new Date(Date.now() - 60_000).toISOString() });
    assert.ok(minuteAgo.ok);
    assert.match(minuteAgo.notices?.join(' ') ?? '', /is not in the future/);
    const hourAhead = parseEvent({
      ...access,
      approvalExpiresDateTime: new Date(Date.now() + 3_600_000).toISOString(),
    });
    assert.ok(hourAhead.ok);
    assert.equal(hourAhead.notices, undefined);
  });

  it('says queued while a channel waits, then delivered, partial or undeliverable', () => {
    const c = (state: string) => ({ teamId: 't', channelId: `c-${state}`, state, attempts: 1 });
    assert.equal(fanoutState([c('delivered'), c('sending')]), 'queued');
    assert.equal(fanoutState([c('delivered'), c('delivered')]), 'delivered');
    assert.equal(fanoutState([c('delivered'), c('deadLetter')]), 'partial');
    assert.equal(fanoutState([c('deadLetter')]), 'undeliverable');
    assert.equal(fanoutState([]), 'undeliverable', 'no channel subscribed');
  });

  it('parses alerts, alerts on|off <category> by id, name or alias, and explains a wrong category', () => {
    assert.deepEqual(parseCommand('alerts'), { kind: 'alerts', action: 'show' });
    assert.deepEqual(parseCommand('<at>Governance Bot</at> Alerts ON role-requests'), {
      kind: 'alerts',
      action: 'on',
      category: 'roleRequests',
    });
    assert.deepEqual(parseCommand('alerts off Actions taken through the bot'), {
      kind: 'alerts',
      action: 'off',
      category: 'actions',
    });
    const bad = parseCommand('alerts on everything');
    assert.equal(bad.kind, 'bad');
    assert.match(bad.kind === 'bad' ? bad.problem : '', /not an alert category/);
    assert.equal(parseCommand('alerts maybe').kind, 'bad');
  });

  // README "Channel alerts": the daily digest is chosen on the settings card (its "Daily digest"
  // toggle and Save), not by a command; "alerts on digest" is told so, not that digest is unknown.
  it('tells "alerts on|off digest" that the daily digest is switched on the settings card', () => {
    for (const text of ['alerts on digest', 'alerts off Digest', 'alerts on daily digest']) {
      const said = parseCommand(text);
      assert.equal(said.kind, 'bad', text);
      const problem = said.kind === 'bad' ? said.problem : '';
      assert.doesNotMatch(problem, /not an alert category/, text);
      assert.match(problem, /settings card/, text);
      assert.match(problem, /"alerts"/, text);
      assert.match(problem, /Daily digest/, text);
    }
  });

  // The same answer reaches a personal or group chat, where "alerts" gives no settings card (it
  // says alerts are set per channel): the hint must say where the card is, or it sends the person
  // to a card they cannot get there.
  it('tells "alerts on digest" that the settings card is a team channel\'s', () => {
    const said = parseCommand('alerts on digest');
    const problem = said.kind === 'bad' ? said.problem : '';
    assert.match(problem, /In a team channel, @mention Governance Bot with "alerts"/, problem);
  });
});
