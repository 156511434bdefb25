// Records that run a step once, right after the user's list of waiting sign-ins (`signin-user:`)
// is written: the moment between that write and the command's own in state/signIns.ts add, where
// a sign out or newer commands of the same user can come in.

import type { Records } from '../../src/state/port';

export interface AfterUserList {
  /** Runs once, after the next write of a user's list; null when nothing is armed. */
  step: (() => Promise<unknown>) | null;
  readonly wrap: (inner: Records) => Records;
}

export function afterUserList(): AfterUserList {
  const hook: AfterUserList = {
    step: null,
    wrap: (inner) => {
      const after = async <R>(key: string, written: Promise<R>): Promise<R> => {
        const result = await written;
        const run = key.startsWith('signin-user:') ? hook.step : null;
        if (run) {
          hook.step = null;
          await run();
        }
        return result;
      };
      return {
        get: (k) => inner.get(k),
        create: (k, v, e) => after(k, inner.create(k, v, e)),
        replace: (k, v, ver, e) => after(k, inner.replace(k, v, ver, e)),
        put: (k, v, e) => inner.put(k, v, e),
        delete: (k, ver) => inner.delete(k, ver),
      };
    },
  };
  return hook;
}
