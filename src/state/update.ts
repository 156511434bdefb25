// The one compare-and-swap loop: read a record, compute its next value, write it only if nobody
// changed it meanwhile, and try again (with a little jitter) when somebody did.

import { Records, StateUnavailableError, WriteOptions } from './port';

/** What `change` decides: the next value, `keep` to leave the record as it is, or `remove`. */
export type Change<T> = { readonly next: T } | 'keep' | 'remove';

export interface UpdateOptions extends WriteOptions {
  /** How many conflicting writers to outlast before giving up. */
  readonly attempts?: number;
}

/** Applies `change` atomically to one record; returns the value it ended with (null if absent). */
export async function updateRecord<T>(
  records: Records,
  key: string,
  change: (current: T | null) => Change<T>,
  options: UpdateOptions = {},
): Promise<T | null> {
  const attempts = options.attempts ?? 20;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const current = await records.get<T>(key);
    const decision = change(current?.value ?? null);
    if (decision === 'keep') return current?.value ?? null;
    if (decision === 'remove') {
      if (!current || (await records.delete(key, current.version))) return null;
    } else {
      const written = current
        ? await records.replace(key, decision.next, current.version, options)
        : await records.create(key, decision.next, options);
      if (written !== null) return decision.next;
    }
    await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
  }
  throw new StateUnavailableError(`state store: "${key.slice(0, 40)}" kept changing under ${attempts} attempts`);
}
