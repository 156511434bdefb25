// An access package approval announced to a category is rendered once, when it is published, and
// posted in each subscribed channel later (pacing, retries, an outage). A post made after the
// event's approvalExpiresDateTime shows the card of that moment: a stage still pending then was
// denied automatically ("If a request isn't approved within this time period, it's automatically
// denied.",
// https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-approval-policy),
// and one decided before is over too, so it has no Approve or Deny. A post made before the moment keeps them. Through the real handler
// (TestAdapter, simulated tenant, SQLite, a clock the test moves).

import { strict as assert } from 'node:assert';
import { eventCard } from '../../src/bot/replyCards';
import { Clock, systemClock } from '../../src/domain/clock';
import { parseEvent } from '../../src/notifications/events';
import { NotificationStore } from '../../src/notifications/store';
import { timedCard } from '../../src/notifications/timedCard';
import { CH_A } from './alertsRig';
import { channelAlertsSession } from './channelAlertsSession';
import { buttonsOf as cardButtonsOf } from '../fixtures/cardButtons';

const REQUEST = '7999249e-249e-7999-9e24-99799e249979';

describe('channel alerts: an access package approval whose moment comes before its post', () => {
  /** Real time moved on by `later`: the store, the alert worker and the render all read it. */
  let later = 0;
  const clock: Clock = { now: () => Date.now() + later, sleep: systemClock.sleep };
  const session = channelAlertsSession({ clock, now: () => clock.now() });
  const { owner, install } = session;
  beforeEach(() => (later = 0));

  /** Publishes an approval ending `inMs` from now to "approvals" as the delivery worker does
   * (worker.ts: timedCard over the app's render, eventCard). */
  async function announce(eventId: string, inMs: number): Promise<void> {
    const now = clock.now();
    const parsed = parseEvent(
      {
        eventId,
        kind: 'accessApproval',
        target: { category: 'approvals' },
        requestId: REQUEST,
        accessPackageName: 'Marketing campaign tools',
        approvalExpiresDateTime: new Date(now + inMs).toISOString(),
      },
      now,
    );
    assert.ok(parsed.ok && !parsed.notices, 'accepted in time');
    const { card, ended } = timedCard(eventCard, parsed.event, now);
    await session.a.alerts.categoryEvents.publish(parsed.event, card, new Date(now).toISOString(), ended);
  }

  const actionTitles = (post: { card: { attachment: { content?: unknown } } }) =>
    cardButtonsOf<{ title?: string }>(post.card.attachment.content).map((x) => x.title);

  it('posted before its moment it has Approve and Deny; posted after it, none, and says it ended', async () => {
    const { a } = session;
    await install();
    await a.say(owner(), CH_A, 'alerts on approvals');

    await announce('ap-early', 60_000);
    await a.drain();
    assert.deepEqual(a.postsIn(CH_A).map(actionTitles), [['Approve', 'Deny']], 'posted in time');

    await announce('ap-late', 60_000);
    later += 120_000; // the fan-out gets to it two minutes later
    await a.drain();
    const posts = a.postsIn(CH_A);
    assert.equal(posts.length, 2);
    assert.deepEqual(actionTitles(posts[1]!), [], 'posted after its moment');
    const text = JSON.stringify(posts[1]!.card.attachment.content);
    assert.match(text, /The approval time has ended/);
    assert.match(text, /if no one decided by then, Microsoft Entra denied it automatically/);
  });

  // A rolling upgrade: the alert was stored by the release before the ended card was kept beside
  // it (no `ended`), and a publish of the same acceptance keeps the row it finds. The event's own
  // record still states the moment, so a channel reached after it gets no Approve or Deny either.
  it('an alert stored without its ended card, posted after its moment, has no Approve or Deny', async () => {
    const { a } = session;
    await install();
    await a.say(owner(), CH_A, 'alerts on approvals');
    const now = clock.now();
    const parsed = parseEvent(
      {
        eventId: 'ap-upgraded',
        kind: 'accessApproval',
        target: { category: 'approvals' },
        requestId: REQUEST,
        accessPackageName: 'Marketing campaign tools',
        approvalExpiresDateTime: new Date(now + 60_000).toISOString(),
      },
      now,
    );
    assert.ok(parsed.ok);
    await new NotificationStore(a.rig.state).accept(parsed.event, new Date(now));
    const acceptedAt = (await new NotificationStore(a.rig.state).get('ap-upgraded'))?.acceptedAt;
    const { card, ended } = timedCard(eventCard, parsed.event, now);
    assert.ok(ended, 'the moment is ahead at the publishing');
    await a.alerts.categoryEvents.publish(parsed.event, card, acceptedAt); // as the earlier release did
    await a.alerts.categoryEvents.publish(parsed.event, card, acceptedAt, ended); // kept: same acceptance
    later += 120_000;
    await a.drain();
    const posts = a.postsIn(CH_A);
    assert.equal(posts.length, 1);
    assert.deepEqual(actionTitles(posts[0]!), [], 'posted after its moment');
    assert.match(JSON.stringify(posts[0]!.card.attachment.content), /The approval time has ended/);
  });
});
