// Fault figure (issue 7, Proof): 1,000 clicks while Graph hangs 10% of writes (half of them
// applied before hanging, half never applied). Cards are real notifications in channels; each card
// gets two waves of two simultaneous clicks by two people on two bot processes that share their
// state. Afterwards every card is compared with Graph's final state: the card everyone sees must
// not claim a cancel Graph does not show, nor offer or refuse a cancel Graph already made.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BotProcess, Who, World, message, post, startBot } from '../test/e2e/harness';
import {
  CardClaim,
  PostedCard,
  answeredCard,
  claimOf,
  click,
  counts,
  deliverRoleCards,
  sharedCard,
  whatHappenedTo,
} from './cards';
import { GRAPH_ATTEMPT_MS } from '../src/graph/graphCaller';
import { startHangingGraph } from './hangingGraph';
import { pool, seededRandom } from './stats';

const CHANNELS = 10;
const CLICKS_PER_CARD = 4;

export async function runClickFaults(world: World, users: readonly Who[], clicks: number): Promise<void> {
  const random = seededRandom(11);
  let nth = 0;
  const graph = await startHangingGraph(world, () => (random() < 0.1 ? (nth++ % 2 === 0 ? 'applied' : 'lost') : null));
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-bench-clicks-'));
  const env = world.botEnv({ GRAPH_ENDPOINT: graph.url, STATE_DIRECTORY: stateDir, NODE_EXTRA_CA_CERTS: graph.caFile });
  const bots: BotProcess[] = [await startBot(world, env), await startBot(world, env)];
  const [one, two] = bots as [BotProcess, BotProcess];
  const [a, b] = [users[0]!, users[1]!];
  try {
    const channels = Array.from({ length: CHANNELS }, (_, i) => `19:bench-clicks-${i}@thread.tacv2`);
    for (const ch of channels) {
      const r = await post(world, one, message(world, a, 'help', 'channel', ch));
      if (r.status !== 200) throw new Error(`channel message: ${r.status}`);
    }
    const wanted = Math.ceil(clicks / CLICKS_PER_CARD);
    const { cards, refused, firstRefusal, lost } = await deliverRoleCards(
      world,
      one,
      Array.from({ length: wanted }, (_, i) => ({ channelId: channels[i % CHANNELS]! })),
      `bench-hang-${Date.now()}`,
    );

    const t0 = performance.now();
    const answers: Array<{
      card: PostedCard;
      status: number;
      claim: CardClaim | null;
      error: string;
      text: string;
    }> = [];
    let lastClickAt = 0;
    const record = async (bot: BotProcess, who: Who, card: PostedCard) => {
      lastClickAt = Date.now();
      const r = await click(world, bot, who, card);
      const answered = answeredCard(r.body);
      const text = answered ? JSON.stringify(answered.body ?? []).replace(/"[a-zA-Z]+":|[{}[\]"]/g, ' ') : '';
      answers.push({ card, status: r.status, claim: answered ? claimOf(answered) : null, error: errorOf(r), text });
    };
    await pool(cards, 24, async (card) => {
      await Promise.all([record(one, a, card), record(two, b, card)]);
      await Promise.all([record(two, a, card), record(one, b, card)]);
    });
    const seconds = (performance.now() - t0) / 1000;
    // A click answers within 8 s, but hung writes go on in the background until their attempts
    // time out and a read settles the card (two unanswered writes at most: the first, then the one
    // re-send a read allows; the reads here never hang): judge the cards only after that.
    await new Promise((r) => setTimeout(r, Math.max(0, lastClickAt + 2 * GRAPH_ATTEMPT_MS + 5_000 - Date.now())));
    await quiet(world, 2000, 30_000);
    const crashed = bots.filter((x) => x.child.exitCode !== null || x.child.signalCode !== null);
    for (const x of crashed) console.log(`\n(d) a bot process stopped during the clicks: ${whatHappenedTo(x)}`);
    for (const bot of bots) await bot.stop();

    const graphDone = (card: PostedCard) => world.tenant.getRoleRequest(card.requestId)?.status === 'Canceled';
    const shared = new Map<string, number>();
    const tally = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    let disagree = 0;
    const agreesWithGraph = (card: PostedCard): boolean => {
      const claim = claimOf(sharedCard(world, card));
      return graphDone(card) ? claim === 'says it was done' : claim === 'offers the button';
    };
    for (const card of cards) {
      const claim = claimOf(sharedCard(world, card));
      const done = graphDone(card);
      const agrees = agreesWithGraph(card);
      if (!agrees) disagree++;
      tally(shared, `${claim}, Graph ${done ? 'cancelled' : 'still pending'}${agrees ? '' : ' (DISAGREES)'}`);
    }
    const statuses = new Map<string, number>();
    for (const x of answers) tally(statuses, x.status === 0 ? `no answer (${x.error})` : String(x.status));
    const answerLies = answers.filter((x) => x.claim === 'says it was done' && !graphDone(x.card)).length;
    const writesReached = (card: PostedCard) =>
      world.tenant.requests.filter((r) => r.method === 'POST' && r.path.includes(card.requestId)).length;
    const writtenTwice = cards.filter((c) => writesReached(c) > 1).length;

    const list = (m: Map<string, number>) => [...m.entries()].map(([k, n]) => `${n} ${k}`).join('; ');
    console.log(
      `\n(d) ${answers.length} clicks on ${cards.length} channel cards (of ${wanted} posted), 2 waves of 2 simultaneous clicks by 2 people on 2 processes, ` +
        `Graph hanging 10% of writes (${graph.hung.applied} applied then hung, ${graph.hung.lost} lost), ${seconds.toFixed(1)} s:`,
    );
    if (cards.length < wanted) {
      console.log(
        `    cards not posted: intake refused ${counts(refused)}; accepted but not delivered ${counts(lost)}`,
      );
      for (const [status, body] of firstRefusal) console.log(`    first ${status} answer of the intake: ${body}`);
    }
    console.log(`    cards that disagree with Graph's final state: ${disagree} of ${cards.length} (must be 0)`);
    console.log(`    cards as everyone sees them: ${list(shared)}`);
    console.log(
      `    answers to clickers claiming a cancel Graph does not show: ${answerLies}; answer statuses: ${list(statuses)}`,
    );
    console.log(`    cards whose item got more than one write reaching Graph: ${writtenTwice}`);
    // What happened to a card that disagrees, so a failing figure says where to look.
    for (const card of cards.filter((c) => !agreesWithGraph(c)).slice(0, 3)) {
      const said = answers
        .filter((x) => x.card === card)
        .map((x) => `${x.status} ${x.claim ?? x.error}: ${x.text.replace(/\s+/g, ' ').slice(0, 160)}`);
      const reached = world.tenant.requests
        .filter((r) => r.path.includes(card.requestId))
        .map((r) => `${r.method} ${r.status}`);
      const updates = world.calls.filter((c) => c.method === 'PUT' && c.activityId === card.activityId);
      const logged = bots
        .flatMap((x) => x.lines())
        .filter((l) => JSON.stringify(l).includes(card.requestId))
        .map((l) => [l.event, l.outcome, l.errorCode, l.durationMs].filter((v) => v !== undefined).join(' '));
      console.log(
        `    disagreeing card ${card.requestId}: answers [${said.join('; ')}]; Graph saw [${reached.join(', ')}]; ` +
          `${updates.length} update(s), the last: ${claimOf(sharedCard(world, card))}; logged [${logged.join('; ')}]`,
      );
    }
  } finally {
    for (const bot of bots) await bot.stop();
    await graph.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Waits until the connector has seen nothing new for `stillMs` (background card updates). */
async function quiet(world: World, stillMs: number, maxMs: number): Promise<void> {
  const until = Date.now() + maxMs;
  let seen = world.calls.length;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, stillMs));
    if (world.calls.length === seen) return;
    seen = world.calls.length;
  }
}

/** Why a click got no HTTP answer, in a few words (the connection error and its cause). */
function errorOf(r: { status: number; body: string }): string {
  if (r.status !== 0) return '';
  return r.body.replace(/^TypeError: /, '').slice(0, 80);
}
