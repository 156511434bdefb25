// What the tests of turns cut short at shutdown share: two bots over one state directory and one
// simulated tenant for each test, `a` whose turns under way the test gives up as the stop does
// (`turns.giveUp()`) and `b` where Teams delivers the message again; and a hold on `a`'s first
// Graph request, let go (forwarded to the tenant, or answered 401) when the test says. `a`'s marks
// may go through a store of the test's own (one whose answers and effects come apart).

import * as fs from 'node:fs';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { tenantFetch } from '../../src/sandbox/server';
import { Records } from '../../src/state/port';
import { TurnDedup } from '../../src/state/turnDedup';
import { holdOnce } from '../fixtures/heldRecords';
import { GRAPH, Rig, RigOptions } from './botRig';

export interface CutPair {
  readonly a: Rig;
  readonly b: Rig;
  readonly turns: TurnDedup;
}

/** Makes the pair before each test (`opts` read then: a test's own on-behalf-of stand-in) and hands
 * it to `use`; closes both and removes the directory after. `markRecords`, read then too: the store
 * `a`'s turn marks go through, made from its own. */
export function cutPairPerTest(
  use: (pair: CutPair) => void,
  opts: () => RigOptions = () => ({ silent: true }),
  markRecords: () => (records: Records) => Records = () => (records) => records,
): void {
  let dir = '';
  let pair: CutPair | null = null;
  beforeEach(() => {
    dir = Rig.dir();
    const own = opts();
    const marks = markRecords();
    let turns!: TurnDedup;
    const a = new Rig(dir, {
      ...own,
      extend: (rig) => ({ deps: { turns: (turns = new TurnDedup(marks(rig.state.records))) } }),
    });
    const b = new Rig(dir, { ...(own.silent ? { silent: true } : {}), tenant: a.tenant });
    pair = { a, b, turns };
    use(pair);
  });
  afterEach(async () => {
    await pair?.a.close();
    await pair?.b.close();
    pair = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });
}

/** The pair for each test as cutPairPerTest makes it, written into `got` with `signInRead`: a hold
 * on `a`'s read of the sign-out mark of the seed's user `user`, so a typed command of theirs is cut
 * there, before it reaches Graph. `a`'s marks go through `markRecords`' store. */
export function cutAtSignOutReadPerTest<T extends object>(
  got: T,
  user: number,
  markRecords: (records: Records) => Records,
): T & CutPair & { signInRead: ReturnType<typeof holdOnce> } {
  const pair = got as T & CutPair & { signInRead: ReturnType<typeof holdOnce> };
  cutPairPerTest(
    (p) => Object.assign(pair, p),
    () => ({
      silent: true,
      signOutRecords: (records) => {
        const aad = loadDemoSeed().users[user]!.id.toLowerCase();
        pair.signInRead = holdOnce(records, 'get', `signin:signedOut:${aad}`);
        return pair.signInRead.records;
      },
    }),
    () => markRecords,
  );
  return pair;
}

/** Graph's answer to a token it no longer accepts (https://learn.microsoft.com/en-us/graph/errors). */
export const tokenRefused = (): Response =>
  new Response(
    JSON.stringify({ error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired.' } }),
    {
      status: 401,
      headers: { 'content-type': 'application/json' },
    },
  );

/** Holds `rig`'s first Graph request of `method` (any, if not given) until `release`; `came` when
 * it arrived. Released, it goes to the tenant, or is answered by `answer` without reaching it. */
export function holdFirstGraph(
  rig: Rig,
  method?: string,
  answer?: () => Response,
): { came: Promise<void>; release: () => void } {
  const graph = tenantFetch(rig.tenant, GRAPH);
  let release!: () => void;
  let reached!: () => void;
  const came = new Promise<void>((r) => (reached = r));
  const go = new Promise<void>((r) => (release = r));
  let held = false;
  rig.hold = (req) => {
    if (held || (method !== undefined && req.method !== method)) return null;
    held = true;
    reached();
    return go.then(() => (answer ? answer() : graph(req)));
  };
  return { came, release };
}
