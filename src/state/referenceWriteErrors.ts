// What the reference write-behind tells the operator when writes (or forgets) fail: the kind of key
// and what happens next, never the reference itself (the store's error, as `cause`, names the
// operation only).

export class ReferenceWriteError extends Error {
  constructor(
    message: string,
    readonly code:
      'REFERENCE_WRITE_RETRYING' | 'REFERENCE_WRITE_ABANDONED' | 'REFERENCES_NOT_WRITTEN' | 'REFERENCES_NOT_FORGOTTEN',
    cause?: unknown,
    /** A forget deleted every reference and only its team's list could not be written: the list
     * still names the channels, which no send reaches any more (see notForgotten for how long). */
    readonly onlyTeamListKept = false,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ReferenceWriteError';
  }
}

/** The first failure of a run of failures of one key. */
export function retrying(key: string, retryForMs: number, cause: unknown): ReferenceWriteError {
  return new ReferenceWriteError(
    `could not write a ${kindOf(key)} conversation reference; retrying with backoff for up to ${minutes(retryForMs)}`,
    'REFERENCE_WRITE_RETRYING',
    cause,
  );
}

/** A key whose writes kept failing for the whole retry time. */
export function abandoned(key: string, attempts: number, failingForMs: number, cause: unknown): ReferenceWriteError {
  return new ReferenceWriteError(
    `gave up writing a ${kindOf(key)} conversation reference after ${attempts} attempts over ${minutes(failingForMs)}; ` +
      'the next capture of the conversation queues it again',
    'REFERENCE_WRITE_ABANDONED',
    cause,
  );
}

/** What a flush could not write, by kind of key. */
export function notWritten(keys: readonly string[], total: number): ReferenceWriteError {
  return new ReferenceWriteError(
    `${keys.length} of ${total} conversation references were not written by the flush ` +
      `(${kindsOf(keys)}); they stay queued in this process only`,
    'REFERENCES_NOT_WRITTEN',
  );
}

/** What a forget could not delete, by kind of key (every key was tried; the others are gone). The
 * first store error is the cause. `teamRemoved`: the forget of a team's removal, whose list then
 * stays until the bot is added to the team again and removed again (its captures stamp the list,
 * and that removal reads it); a channel's forget leaves its entry to the team's removal. */
export function notForgotten(
  keys: readonly string[],
  total: number,
  cause: unknown,
  teamRemoved = false,
): ReferenceWriteError {
  if (keys.length === 1 && kindOf(keys[0] ?? '') === 'team' && total > 1) {
    const forgotten = total - 1;
    const were = `${forgotten} conversation ${forgotten === 1 ? 'reference was' : 'references were'} forgotten`;
    const them = forgotten === 1 ? 'it' : 'them';
    return new ReferenceWriteError(
      teamRemoved
        ? `${were}, but the team's list of its channels could not be deleted; it stays stored, naming ${them}, ` +
            'until the bot is added to the team again and removed again'
        : `${were}, but ${forgotten === 1 ? 'its' : 'their'} team's list could not be written; it names ${them} until a later removal of the team`,
      'REFERENCES_NOT_FORGOTTEN',
      cause,
      true,
    );
  }
  return new ReferenceWriteError(
    `${keys.length} of ${total} conversation references could not be forgotten (${kindsOf(keys)}); ` +
      'the others were, and these stay stored until a later removal or refusal forgets them',
    'REFERENCES_NOT_FORGOTTEN',
    cause,
  );
}

/** `ref:user:…` -> `user`: the kind of a key, never its identifier. */
function kindOf(key: string): string {
  return key.split(':')[1] ?? 'unknown';
}

function kindsOf(keys: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(kindOf(k), (counts.get(kindOf(k)) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${n} ${kind}`).join(', ');
}

function minutes(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}
