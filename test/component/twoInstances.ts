// Several instances on one state store (one SQLite file), for the tests that race two instances'
// edits of one card: a fresh directory for each test of a describe block, the instances opened on
// it (closed after the test, then the directory removed), and every card update in the order it
// reached Teams, from all of them.

import * as fs from 'node:fs';
import { Activity } from 'botbuilder';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { Rig } from './botRig';
import { heldUpdates } from './twoStageCard';

export type Landed = Array<Partial<Activity>>;
export type Held = () => Promise<'cut' | void>;

/** Registers the lifecycle in the calling `describe`; `close` ends one instance after the test (in
 * the order they were opened). `open(make)` opens an instance on the test's file with `make(dir,
 * landed)`; `landed()` is the current test's record of updates. */
export function instancesOnOneFile<T>(close: (instance: T) => Promise<void>) {
  let dir: string;
  let opened: T[] = [];
  let landed: Landed = [];

  beforeEach(() => {
    dir = Rig.dir();
    opened = [];
    landed = [];
  });
  afterEach(async () => {
    for (const i of opened) await close(i);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  return {
    landed: () => landed,
    open<U extends T>(make: (dir: string, landed: Landed) => U): U {
      const made = make(dir, landed);
      opened.push(made);
      return made;
    },
  };
}

/** instancesOnOneFile for plain rigs: `instance(tenant, held)` is a rig on the shared file whose
 * card updates reach Teams once `held()` lets them; an update `held()` answers 'cut' reaches Teams
 * and yet fails, as one cut at its deadline. */
export function rigsOnOneFile() {
  const instances = instancesOnOneFile<Rig>((r) => r.close());
  const instance = (tenant: SimulatedTenant, held: Held = async () => undefined): Rig =>
    instances.open(
      (dir, landed) =>
        new Rig(dir, {
          silent: true,
          tenant,
          extend: (rig) => ({ deps: { proactive: heldUpdates(rig, held, landed) } }),
        }),
    );
  return { landed: instances.landed, instance };
}
