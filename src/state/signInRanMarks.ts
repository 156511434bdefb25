// What stays under a waiting sign-in's key (signIns.ts) once its command was taken to run (take,
// finish), written by the same compare and swap that took it: no instance that dies, and no store
// that fails, between two writes can leave the user's other clients and windows told "send it
// again" for a command that ran, which would run it twice. Every reader but ran() treats it as
// absent. Only the id and when: no command, no token, and no user, so that an older instance
// sharing the store during a rolling upgrade finds no user of its own in it to lease or move.

export interface RanMark {
  readonly ran: true;
  readonly id: string;
  readonly at: number;
}

export function ranMark(id: string, at: number): RanMark {
  return { ran: true, id, at };
}

export function isRan(value: object): value is RanMark {
  return (value as Partial<RanMark>).ran === true;
}

/** The entry when its sign-in still waits; null when absent or its command ran. */
export function waiting<E extends object>(value: E | RanMark | null | undefined): E | null {
  return value && !isRan(value) ? (value as E) : null;
}
