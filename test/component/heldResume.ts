// The set-up of the card click tests that hold a task's resume while a fake clock runs: a fresh
// directory and clock per test (the mocha hooks are registered here, and close the test's rig),
// the task's Approve or Reject target, and a hold on the first resume POST that Graph answers late.

import * as fs from 'node:fs';
import { Target } from '../../src/domain/operations';
import { Rig } from './botRig';
import { FakeClock } from './fakeClock';

/** Gives each test a fresh directory and clock through `set`; after it, closes the rig `rig` names
 * (if the test made one) and removes the directory. */
export function rigOnFakeClock(set: (dir: string, clock: FakeClock) => void, rig: () => Rig | undefined): void {
  let dir = '';
  beforeEach(() => {
    dir = Rig.dir();
    set(dir, new FakeClock());
  });
  afterEach(async () => {
    await rig()?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
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
