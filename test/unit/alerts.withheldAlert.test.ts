// A channel alert whose channel turned its category off while it waited, or was suspended since the
// delivery's first check: why (withheldReason, from the channel's record read just before the post)
// and how the delivery ends (dropWithheld): the send slot back, dead-lettered with the reason under
// the send's claim, the row completed and, for a category turned off, one log line; a store failing
// on that write gives the claim back and fails the pass, the row left to its lease.

import { strict as assert } from 'node:assert';
import { DeliveryRecord } from '../../src/alerts/deliveries';
import { suspensionOf } from '../../src/alerts/channelSuspension';
import { turnedOffReason, withheldReason } from '../../src/notifications/channelTargets';
import { dropWithheld } from '../../src/notifications/withheldAlert';
import { StateUnavailableError } from '../../src/state/port';
import { recordingLogger } from '../fixtures/recordingLogger';

const settings = (categories: string[], digest: boolean) =>
  ({ teamId: 'team', channelId: 'ch', categories, digest }) as never;

const record: DeliveryRecord = {
  deliveryId: 'e1:ch',
  eventId: 'e1',
  category: 'workflowRuns',
  teamId: 'team',
  channelId: 'ch',
  state: 'sending',
  attempts: 2,
  updatedAt: 0,
};

const OFF = { reason: 'off', suspended: false };

describe('alerts: an alert withheld before its post (its category turned off, or its channel suspended)', () => {
  it('names the category (or the digest) the channel turned off; none while it subscribes', () => {
    assert.equal(turnedOffReason(settings(['workflowRuns'], false), 'workflowRuns'), null);
    assert.equal(turnedOffReason(settings([], true), 'digest'), null);
    assert.equal(
      turnedOffReason(settings(['roleRequests'], true), 'workflowRuns'),
      'This channel turned off Workflow runs before the alert was posted here.',
    );
    assert.equal(
      turnedOffReason(settings(['workflowRuns'], false), 'digest'),
      'This channel turned off the daily digest before it was posted here.',
    );
    assert.match(String(turnedOffReason(null, 'workflowRuns')), /does not know this channel any more/);
  });

  it("a channel suspended since the first check: the suspension's reason, before any category's", () => {
    const refused = suspensionOf({ status: 404, code: 'ConversationNotFound' }, 0);
    const suspended = (categories: string[]) =>
      ({ teamId: 'team', channelId: 'ch', categories, digest: true, suspended: refused }) as never;
    const expected = { reason: `Alerts to this channel are suspended. ${refused.reason}`, suspended: true };
    assert.deepEqual(withheldReason(suspended(['workflowRuns']), 'workflowRuns'), expected);
    assert.deepEqual(withheldReason(suspended([]), 'workflowRuns'), expected);
    assert.deepEqual(withheldReason(settings(['roleRequests'], true), 'workflowRuns'), {
      reason: 'This channel turned off Workflow runs before the alert was posted here.',
      suspended: false,
    });
    assert.equal(withheldReason(settings(['workflowRuns'], false), 'workflowRuns'), null);
  });

  function parts(deadLetter: () => Promise<boolean>) {
    const calls: string[] = [];
    const { logger, lines } = recordingLogger();
    const opts = {
      ledger: {
        deadLetter: async (_id: string, token: string, reason: string) => {
          calls.push(`deadLetter ${token} ${reason}`);
          return deadLetter();
        },
        release: async () => void calls.push('unclaim'),
      },
      outbox: { complete: async () => void calls.push('complete') },
      scheduler: { release: async (_t: string, _c: string, at: number) => void calls.push(`slot back ${at}`) },
      logger,
    } as never;
    const send = { row: {} as never, record, token: 'claim-1', tenantId: 't1', slotAt: 5 };
    return { calls, lines, opts, send };
  }

  it('gives the slot back, dead-letters under its claim, completes the row and logs once', async () => {
    const { calls, lines, opts, send } = parts(async () => true);
    await dropWithheld(opts, send, OFF);
    assert.deepEqual(calls, ['slot back 5', 'deadLetter claim-1 off', 'complete']);
    const logged = lines.filter((l) => l.event === 'alerts.delivery.unsubscribed');
    assert.deepEqual(
      logged.map((l) => [l.deliveryId, l.channelId, l.category, l.reason]),
      [['e1:ch', 'ch', 'workflowRuns', 'off']],
    );
  });

  it('suspended: dead-lettered as one turned off is, but not logged as unsubscribed', async () => {
    const { calls, lines, opts, send } = parts(async () => true);
    await dropWithheld(opts, send, { reason: 'suspended', suspended: true });
    assert.deepEqual(calls, ['slot back 5', 'deadLetter claim-1 suspended', 'complete']);
    assert.equal(lines.filter((l) => l.event === 'alerts.delivery.unsubscribed').length, 0);
  });

  it('a claim lost meanwhile: its holder decides, nothing is logged here', async () => {
    const { calls, lines, opts, send } = parts(async () => false);
    await dropWithheld(opts, send, OFF);
    assert.deepEqual(calls, ['slot back 5', 'deadLetter claim-1 off', 'complete']);
    assert.equal(lines.filter((l) => l.event === 'alerts.delivery.unsubscribed').length, 0);
  });

  it('the store failing on the write: the claim goes back, the pass fails, the row stays leased', async () => {
    const { calls, opts, send } = parts(async () => {
      throw new StateUnavailableError('state store: update failed (no answer in time)');
    });
    await assert.rejects(dropWithheld(opts, send, OFF), StateUnavailableError);
    assert.deepEqual(calls, ['slot back 5', 'deadLetter claim-1 off', 'unclaim']);
  });
});
