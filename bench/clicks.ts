// Clicks on real cards (figures kept from earlier runs): click-to-answer time, and duplicate
// clicks (4 at once on one card, split over two bot processes sharing the state) that must reach
// Graph exactly once. Each card is a notification delivered to its user's personal chat.

import { BotProcess, Who, World } from '../test/e2e/harness';
import { PostedCard, click, counts, deliverRoleCards, whatHappenedTo } from './cards';
import { f2, pct } from './stats';

export async function runClicks(
  world: World,
  gov: BotProcess,
  gov2: BotProcess,
  users: readonly Who[],
  n: { clicks: number; trials: number },
): Promise<void> {
  const perClick = 4;
  const owners = (count: number) => Array.from({ length: count }, (_, i) => users[i % users.length]!);
  const ownerOf = (card: PostedCard) =>
    users.find((u) => 'userId' in card.target && u.aadObjectId === card.target.userId)!;
  const { cards, refused, firstRefusal, lost } = await deliverRoleCards(
    world,
    gov,
    owners(n.clicks + n.trials).map((u) => ({ userId: u.aadObjectId })),
    `bench-click-${Date.now()}`,
  );
  const wanted = n.clicks + n.trials;
  if (cards.length < wanted) {
    console.log(
      `\nclicks: ${cards.length} of ${wanted} cards arrived (intake refused: ${counts(refused)}; accepted but not ` +
        `delivered: ${counts(lost)}); the figures below use those that arrived`,
    );
    for (const [status, body] of firstRefusal) console.log(`  first ${status} answer of the intake: ${body}`);
  }
  const single = cards.slice(0, Math.floor((cards.length * n.clicks) / wanted));
  const trials = cards.slice(single.length);

  const clickMs: number[] = [];
  const notOk = new Map<string | number, number>();
  for (const card of single) {
    const t0 = performance.now();
    const r = await click(world, gov, ownerOf(card), card);
    clickMs.push(performance.now() - t0);
    if (r.status !== 200) {
      const key = r.status === 0 ? `no answer (${r.body.slice(0, 80)})` : r.status;
      notOk.set(key, (notOk.get(key) ?? 0) + 1);
    }
  }
  clickMs.sort((a, b) => a - b);

  const writesPerTrial = new Map<number, number>();
  for (const card of trials) {
    const who = ownerOf(card);
    await Promise.all(Array.from({ length: perClick }, (_, i) => click(world, i % 2 === 0 ? gov : gov2, who, card)));
    const writes = world.tenant.requests.filter((r) => r.method === 'POST' && r.path.includes(card.requestId)).length;
    writesPerTrial.set(writes, (writesPerTrial.get(writes) ?? 0) + 1);
  }

  console.log(
    `\nclick to answer (Action.Execute on a delivered card: read state + durable claim + Graph write + card update), ` +
      `${single.length} clicks: median ${f2(pct(clickMs, 50))} ms, p99 ${f2(pct(clickMs, 99))} ms; answers other than 200: ${counts(notOk)}`,
  );
  if (notOk.size > 0 || gov.child.exitCode !== null || gov2.child.exitCode !== null) {
    console.log(`  first bot: ${whatHappenedTo(gov)}\n  second bot: ${whatHappenedTo(gov2)}`);
  }
  const distribution = [...writesPerTrial.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([w, n]) => `${n} trials with ${w} write${w === 1 ? '' : 's'}`);
  console.log(
    `duplicate clicks: ${trials.length} trials of ${perClick} simultaneous clicks on one card split over two bot processes ` +
      `sharing the state: ${distribution.join(', ')} (Graph writes per trial must be exactly 1)`,
  );
}
