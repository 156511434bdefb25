// What the state store set aside or found damaged, kept for /readyz (a count) and told to whoever
// watches (the operator's log) once each, as it is met: a record quarantined at run time is as
// much the operator's business as a damaged database found at start.

/** One problem the store met. Names no secret and no path: a record's key (cut to 80 characters;
 * keys hold ids and hashes, never a token), a blob's or a file's own name. */
export interface StoreProblem {
  /** What was found unreadable or damaged. */
  readonly subject: 'record' | 'outbox item' | 'database' | 'write-ahead log';
  /** Which one: a record's key or an outbox item's id; absent for the database and its log. */
  readonly where?: string;
  /** Why it was set aside, or what happened to it. */
  readonly reason: string;
  /** Where the unreadable bytes are kept: the quarantine table, a blob's name, a file's name (no
   * directory); absent when they could not be kept (yet). */
  readonly keptAs?: string;
  /** The whole of it in one sentence, as `quarantined()` lists it. */
  readonly text: string;
}

export type ProblemWatcher = (problem: StoreProblem) => void;

/** A problem as an adapter notes it: its sentence is made from the rest when not given. */
export type NewProblem = Omit<StoreProblem, 'text'> & { readonly text?: string };

/** The problems met since the store was made, and their watchers. */
export class StoreProblems {
  private readonly met: StoreProblem[] = [];
  private readonly watchers = new Set<ProblemWatcher>();

  /** Notes a problem and tells every watcher of it. A watcher that throws stops no store
   * operation and no other watcher. */
  add(problem: NewProblem): void {
    const full: StoreProblem = { ...problem, text: problem.text ?? describe(problem) };
    this.met.push(full);
    for (const watcher of this.watchers) {
      try {
        watcher(full);
      } catch {
        // The log is the watcher's business; the store goes on.
      }
    }
  }

  texts(): readonly string[] {
    return this.met.map((p) => p.text);
  }

  /** Tells `watcher` of every problem met so far, then of each new one as it is met; the returned
   * function stops that. */
  watch(watcher: ProblemWatcher): () => void {
    for (const problem of [...this.met]) {
      try {
        watcher(problem);
      } catch {
        // As in add.
      }
    }
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }
}

/** A record's or an item's label: its kind and its key or id, quoted and cut to 80 characters. */
export function labelOf(subject: StoreProblem['subject'], where: string): string {
  return `${subject} ${JSON.stringify(where)}`;
}

/** The key or id as a problem names it. */
export function whereOf(key: string): string {
  return key.slice(0, 80);
}

function describe(problem: Omit<StoreProblem, 'text'>): string {
  const what = problem.where === undefined ? `the ${problem.subject}` : labelOf(problem.subject, problem.where);
  return `${what}: ${problem.reason}${problem.keptAs ? `; kept as ${problem.keptAs}` : ''}`;
}
