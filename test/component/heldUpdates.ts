// A hold on the edits of posted cards (updateActivity) for the tests of what a click answers
// before the edit everyone sees: the answer must not wait for it.

import { Rig } from './botRig';

/** Holds every card update (updateActivity) until released; `reached` resolves when one waits. */
export function holdUpdates(r: Rig): { reached: Promise<void>; release: () => void } {
  let release!: () => void;
  let reached!: () => void;
  const held = new Promise<void>((res) => (release = res));
  const waiting = new Promise<void>((res) => (reached = res));
  r.adapter.use(async (ctx, next) => {
    ctx.onUpdateActivity(async (_c, _activity, update) => {
      reached();
      await held;
      return update();
    });
    await next();
  });
  return { reached: waiting, release };
}
