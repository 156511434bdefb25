// Fault figure (issue 7, Proof): N notifications while the connector fails 30% of sends at random
// (a third each 429 with Retry-After, 503, 403). Read back through GET /api/notifications/{id} and
// checked against what the recording connector really accepted:
//   delivered + undeliverable must be N, and no event may be reported delivered without the id of
//   a card the connector accepted for it.

import { BotProcess, Who, World, cardText } from '../test/e2e/harness';
import { intakeToken, postEvent, roleEvent, settle } from './cards';
import { pool, seededRandom } from './stats';
import { freshRoleRequest } from './users';

type ConnectorFault = World['connectorFaults'][number];

/** Makes every connector send fail with probability `rate`; returns a function that stops it. */
function failSends(world: World, rate: number, seed: number): { stop: () => void; failed: Map<number, number> } {
  const random = seededRandom(seed);
  const kinds: ConnectorFault[] = [{ status: 429, retryAfter: '1' }, { status: 503 }, { status: 403 }];
  const failed = new Map<number, number>();
  const faults: ConnectorFault[] = [];
  // The recording connector takes the next fault with shift(): draw one at random instead.
  faults.shift = () => {
    if (random() >= rate) return undefined;
    const f = kinds[Math.floor(random() * kinds.length)]!;
    failed.set(f.status, (failed.get(f.status) ?? 0) + 1);
    return f;
  };
  world.connectorFaults = faults;
  return { stop: () => void (world.connectorFaults = []), failed };
}

export async function runNotificationFaults(
  world: World,
  bot: BotProcess,
  users: readonly Who[],
  n: number,
): Promise<void> {
  const token = intakeToken(world);
  const events = Array.from({ length: n }, (_, i) => ({
    eventId: `bench-fault-${Date.now()}-${i}`,
    target: { userId: users[i % users.length]!.aadObjectId },
    requestId: freshRoleRequest(world.tenant),
  }));
  const callsBefore = world.calls.length;
  const faults = failSends(world, 0.3, 7);
  const t0 = performance.now();
  let refused = 0;
  await pool(events, 16, async (e) => {
    if ((await postEvent(bot, token, roleEvent(e.eventId, e.target, e.requestId))).status !== 202) refused++;
  });
  const states = await settle(
    bot,
    token,
    events.map((e) => e.eventId),
    180_000,
  );
  const seconds = (performance.now() - t0) / 1000;
  faults.stop();

  // What the connector really accepted, per event: the ids it answered for that event's card.
  const accepted = new Map<string, string[]>();
  world.calls.slice(callsBefore).forEach((c, i) => {
    if (c.method !== 'POST') return;
    const e = events.find((x) => cardText(c).includes(x.requestId));
    if (e) accepted.set(e.eventId, [...(accepted.get(e.eventId) ?? []), `act-${callsBefore + i + 1}`]);
  });
  const count = (pred: (s: { state: string; activityId?: string }, eventId: string) => boolean) =>
    events.filter((e) => {
      const s = states.get(e.eventId);
      return s ? pred(s, e.eventId) : false;
    }).length;
  const delivered = count((s) => s.state === 'delivered');
  const undeliverable = count((s) => s.state === 'undeliverable');
  const withoutId = count((s) => s.state === 'delivered' && !s.activityId);
  const notAccepted = count(
    (s, id) => s.state === 'delivered' && !!s.activityId && !(accepted.get(id) ?? []).includes(s.activityId),
  );
  const postedButUndeliverable = count((s, id) => s.state === 'undeliverable' && (accepted.get(id)?.length ?? 0) > 0);
  const twice = events.filter((e) => (accepted.get(e.eventId)?.length ?? 0) > 1).length;
  const other = n - delivered - undeliverable;
  const injected = [...faults.failed.entries()].map(([s, k]) => `${k}x ${s}`).join(', ');

  console.log(
    `\n(c) ${n} notifications to ${users.length} personal chats, the connector failing 30% of sends (${injected || 'none'}), ` +
      `settled in ${seconds.toFixed(1)} s (intake refused ${refused}):`,
  );
  console.log(
    `    delivered ${delivered} + undeliverable ${undeliverable} = ${delivered + undeliverable} of N = ${n}` +
      `${other > 0 ? ` (${other} still queued or unknown)` : ''} -> ${delivered + undeliverable === n ? 'holds' : 'DOES NOT HOLD'}`,
  );
  console.log(
    `    reported delivered without an activity id: ${withoutId}; delivered with an id the connector never gave its card: ${notAccepted} (must both be 0)`,
  );
  console.log(
    `    cards the connector accepted for events reported undeliverable: ${postedButUndeliverable}; events whose card was accepted more than once: ${twice}`,
  );
}
