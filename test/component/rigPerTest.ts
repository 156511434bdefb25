// A fresh handler rig (botRig.ts) for each test of a describe block, closed and its directory
// removed after it. rigPerTest makes it before each test with the same options, `use` handing the
// test file its rig (a promise it answers, the rest of the test's setup, is awaited); rigMadeInTest
// leaves the making to each test, with options of its own (a clock, an on-behalf-of exchange).

import * as fs from 'node:fs';
import { Rig, RigOptions } from './botRig';

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

/** A fresh directory before each test; the function returned makes the test's rig in it, which is
 * closed, and the directory removed, after the test. */
export function rigMadeInTest(): (opts?: RigOptions) => Rig {
  let dir = '';
  let rig: Rig | null = null;
  beforeEach(() => {
    dir = Rig.dir();
  });
  afterEach(async () => {
    await rig?.close();
    rig = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return (opts) => (rig = new Rig(dir, opts));
}
