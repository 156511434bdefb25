// Intake events that name a category instead of a recipient, and the one word the status endpoint
// gives a fan-out; the alert commands' grammar.

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
});
