// The set-up of the card click tests that run on a fake clock: a fresh directory and clock per test
// and the test's rig on them (the mocha hooks are registered here, and close the test's rig), the
// task's Approve or Reject target, and a hold on the first resume POST that Graph answers late.

import * as fs from 'node:fs';
import { Target } from '../../src/domain/operations';
import { Rig, RigOptions } from './botRig';
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
