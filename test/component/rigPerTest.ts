// A fresh handler rig (botRig.ts) for each test of a describe block, closed and its directory
// removed after it; `use` hands the test file its rig, and a promise it answers (the rest of the
// test's setup) is awaited.

import * as fs from 'node:fs';
import { Rig } from './botRig';

export function rigPerTest(
  use: (rig: Rig) => unknown,
  opts: ConstructorParameters<typeof Rig>[1] = { silent: true },
): void {
  let dir = '';
  let rig: Rig | null = null;
  beforeEach(async () => {
    dir = Rig.dir();
    rig = new Rig(dir, opts);
    const setup = use(rig);
    if (setup instanceof Promise) await setup;
  });
  afterEach(async () => {
    await rig?.close();
    rig = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });
}
