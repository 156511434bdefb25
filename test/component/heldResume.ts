// The set-up of the card click tests that run on a fake clock: a fresh directory and clock per test
// and the test's rig on them (the mocha hooks are registered here, and close the test's rig), the
// task's Approve or Reject target, a hold on the first resume POST that Graph answers late, and
// the scene of two approvers whose first resume's answer is lost although Graph took it.

import * as fs from 'node:fs';
import { Target } from '../../src/domain/operations';
import { tenantFetch } from '../../src/sandbox/server';
import { GRAPH, Rig, RigOptions, User } from './botRig';
import { FakeClock } from './fakeClock';

/** Gives each test a fresh directory and clock (the clock handed to `use`); the function returned
 * makes the test's rig on them (with that clock and `opts`). After the test, closes the rig the
 * test made (if it made one) and removes the directory. */
export function rigOnFakeClock(use: (clock: FakeClock) => void): (opts?: Omit<RigOptions, 'clock'>) => Rig {
  let dir = '';
  let clock: FakeClock;
  let rig: Rig | undefined;
  beforeEach(() => {
    dir = Rig.dir();
    clock = new FakeClock();
    rig = undefined;
    use(clock);
  });
  afterEach(async () => {
    await rig?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return (opts = {}) => (rig = new Rig(dir, { clock, ...opts }));
}

/** The seed's task processing result, resumed as `decision`. */
export const resumeTask = (r: Rig, decision: 'completed' | 'failed'): Target => {
  const e = r.seed.examples;
  return {
    operation: 'resumeTask',
    ids: { workflowId: e.taskWorkflowId, taskId: e.taskId, taskProcessingResultId: e.taskProcessingResultId },
    decision,
  };
};

/** Holds the first resume POST until released with Graph's (late) answer; `seen` settles as it
 * arrives. */
export function holdFirstResume(r: Rig): { seen: Promise<void>; release: (res: Response) => void } {
  let seen!: () => void;
  let release!: (res: Response) => void;
  const seenP = new Promise<void>((s) => (seen = s));
  const answer = new Promise<Response>((a) => (release = a));
  let held = false;
  r.hold = (req) => {
    if (held || req.method !== 'POST' || !req.url.includes('/resume')) return null;
    held = true;
    seen();
    return answer;
  };
  return { seen: seenP, release };
}

/** Megan (user 0) and Lynne (user 5) signed in, each holding a card with the task's Approve. */
export async function bothHoldingCards(r: Rig): Promise<{ megan: User; lynne: User }> {
  const megan = r.user(0);
  const lynne = r.user(5);
  await r.signIn(megan);
  await r.signIn(lynne);
  await r.postCard(megan, 'card-t', resumeTask(r, 'completed'));
  await r.postCard(lynne, 'card-t', resumeTask(r, 'completed'));
  return { megan, lynne };
}

/** The seed's task processing result as the simulated tenant holds it (to change it by hand). */
export const taskResult = (r: Rig): Record<string, unknown> =>
  r.tenant.getTaskResult('', '', r.seed.examples.taskProcessingResultId) as Record<string, unknown>;

/** The first resume POST is held until released with Graph's (late) answer; the re-send is
 * answered 500 without reaching the tenant, and the read after it, made while the task still
 * waits, is followed by the tenant showing the first resume taken: a write whose answer was lost
 * that Graph took after all. `seen` settles as the first resume arrives. */
export function loseResumeThenShowIt(r: Rig): { seen: Promise<void>; answerFirst: (res: Response) => void } {
  let firstSeen!: () => void;
  const seen = new Promise<void>((s) => (firstSeen = s));
  let answerFirst!: (res: Response) => void;
  const first = new Promise<Response>((a) => (answerFirst = a));
  const graph = tenantFetch(r.tenant, GRAPH);
  let posts = 0;
  let lastRead = false;
  r.hold = (req) => {
    if (req.method === 'POST' && req.url.includes('/resume')) {
      posts += 1;
      if (posts === 1) {
        firstSeen();
        return first;
      }
      if (posts === 2) {
        lastRead = true;
        return Promise.resolve(new Response(null, { status: 500 }));
      }
      return null;
    }
    if (req.method === 'GET' && lastRead) {
      lastRead = false;
      return graph(req).then((res) => {
        taskResult(r).processingStatus = 'completed';
        return res;
      });
    }
    return null;
  };
  return { seen, answerFirst };
}
