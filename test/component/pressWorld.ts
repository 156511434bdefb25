// The set-up of the tests of presses that wait for sign-in: for each test of a describe block, a
// handler rig (botRig.ts) on a fake clock, Megan, her role request as the item pressed, and a list
// for the audit lines the periodic pass writes (waitingCommand.ts expirySweep); `setUp` keeps them
// and finishes the set-up (posts the card). The rig is closed and its directory removed after.

import * as fs from 'node:fs';
import type { AuditLine } from '../../src/domain/governance';
import type { Target } from '../../src/domain/operations';
import { Rig, User } from './botRig';
import { FakeClock } from './fakeClock';

export interface PressWorld {
  readonly r: Rig;
  readonly clock: FakeClock;
  readonly megan: User;
  readonly target: Target;
  readonly swept: AuditLine[];
}

export function pressWorldPerTest(setUp: (world: PressWorld) => Promise<void>): void {
  let dir = '';
  let rig: Rig | null = null;
  beforeEach(async () => {
    dir = Rig.dir();
    const clock = new FakeClock();
    const r = new Rig(dir, { clock });
    rig = r;
    const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
    await setUp({ r, clock, megan: r.user(0), target, swept: [] });
  });
  afterEach(async () => {
    await rig?.close();
    rig = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });
}
