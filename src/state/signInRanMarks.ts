// What stays under a waiting sign-in's key (signIns.ts) once its command was taken to run (take,
// finish), written by the same compare and swap that took it: no instance that dies, and no store
// that fails, between two writes can leave the user's other clients and windows told "send it
// again" for a command that ran, which would run it twice. Every reader but ran() treats it as
// absent. Only the id, when, and whose sign-in it was: no command and no token. The user is kept
// under `ranFor`, not under the entry's `aadObjectId`, so that an older instance sharing the store
// during a rolling upgrade finds no user of its own in it to lease or move.

export interface RanMark {
  readonly ran: true;
  readonly id: string;
  readonly at: number;
  /** The user whose sign-in it was (lower case); absent from a mark of the previous release. */
  readonly ranFor?: string;
  /** Its press was answered without running (a re-sent press its checks refused: it ended with
   * that answer's audit line), so nothing ran: the user is told so, not that it ran. The mark says
   * `ran` all the same, for an older instance that reads it must never run it a second time. */
  readonly answered?: true;
  /** Which take wrote it (a re-sent press's: resentTake.ts), so that a take the store reported
   * failed can tell, reading again, whether its write landed after all. */
  readonly by?: string;
}

/** The mark of a sign-in taken to run, or, `answered`, taken to end with the answer its press got. */
export function ranMark(id: string, at: number, aadObjectId: string, answered = false, by?: string): RanMark {
  const mark: RanMark = { ran: true, id, at, ranFor: aadObjectId.toLowerCase() };
  return { ...mark, ...(answered ? { answered: true as const } : {}), ...(by ? { by } : {}) };
}

export function isRan(value: object): value is RanMark {
  return (value as Partial<RanMark>).ran === true;
}

/** Whether the mark tells this user that their command ran: only the user whose sign-in it was,
 * who alone could have run it; a mark that names no user (the previous release's) tells anyone,
 * for "it ran" never runs a command twice. */
export function ranForUser(mark: RanMark, aadObjectId: string): boolean {
  return mark.ranFor === undefined || mark.ranFor === aadObjectId.toLowerCase();
}

/** The entry when its sign-in still waits; null when absent or its command ran. */
export function waiting<E extends object>(value: E | RanMark | null | undefined): E | null {
  return value && !isRan(value) ? (value as E) : null;
}
