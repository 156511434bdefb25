// Which parts (kinds of request) of a list Graph answered and which it did not, kept with the list
// card, and the line under the card's title when the list has no rows: it must not say that
// nothing waits when a part could not be read, nor that nothing could be listed when some parts
// were read and hold nothing (which reads as if every part failed).

import { KIND_NAMES, ListName, WORK_KINDS, WorkFetch, WorkKind } from '../domain/myWork';
import type { ReadParts } from '../state/listCards';

/** The parts of a list's first read, which reads every kind (graph/myWorkSources.ts). */
export function partsOf(fetched: Pick<WorkFetch, 'failed'>): ReadParts {
  return withFailures({ read: WORK_KINDS, failed: [] }, fetched);
}

/** The parts once more pages were read: a kind one of whose reads failed is no longer read whole.
 * Unknown (an older record) stays unknown. */
export function partsAfter(parts: ReadParts | undefined, fetched: Pick<WorkFetch, 'failed'>): ReadParts | undefined {
  return parts ? withFailures(parts, fetched) : undefined;
}

function withFailures(parts: ReadParts, fetched: Pick<WorkFetch, 'failed'>): ReadParts {
  const failed = WORK_KINDS.filter((k) => parts.failed.includes(k) || fetched.failed.some((f) => f.kind === k));
  return { read: parts.read.filter((k) => !failed.includes(k)), failed };
}

/** What a list card says after a read of Graph stopped (at its bound on pages, or its deadline)
 * with `emptyPages` pages that held no new row and a next page still to read; `rows`: the card
 * shows rows read before. */
export function emptyPagesLine(emptyPages: number, rows: boolean): string {
  const pages = `${emptyPages} ${rows ? 'more ' : ''}page${emptyPages === 1 ? '' : 's'}`;
  return rows
    ? `Microsoft Graph gave ${pages} with no new rows and has more to list: press More to read on.`
    : `None found so far: Microsoft Graph gave ${pages} with no rows and has more to list. Press More to read on.`;
}

/** The line under the title of a list card with no rows; `more`: Graph has next pages to read;
 * `emptyPages`: the last read stopped after that many pages with no rows (emptyPagesLine). */
export function emptyHeader(
  list: ListName,
  problems: readonly string[],
  parts: ReadParts | undefined,
  more = false,
  emptyPages?: number,
): string {
  // Graph's pages may hold no rows while a next page follows (https://learn.microsoft.com/graph/paging):
  // nothing found yet is not nothing waiting.
  if (more) {
    const soFar = emptyPages
      ? emptyPagesLine(emptyPages, false)
      : 'None found so far: Microsoft Graph has more to list. Press More to read on.';
    return parts?.failed.length
      ? `${soFar} ${capitalised(namesOf(parts.failed, 'and'))} ${list} could not be listed; see below.`
      : soFar;
  }
  if (problems.length === 0 && !parts?.failed.length)
    return list === 'approvals'
      ? 'Nothing waits for your decision.'
      : 'You have no requests that can still be cancelled.';
  // A record saved before the parts were kept: which ones were read is not known.
  if (!parts?.failed.length) return 'Nothing could be listed from what Microsoft Graph answered; see below.';
  const failed = `${capitalised(namesOf(parts.failed, 'and'))} ${list} could not be listed; see below.`;
  if (parts.read.length === 0) return failed;
  const read = namesOf(parts.read, 'or');
  const empty =
    list === 'approvals'
      ? `No ${read} approvals wait for you.`
      : `You have no ${read} requests that can still be cancelled.`;
  return `${empty} ${failed}`;
}

/** The kinds' names inside a sentence ("PIM role, PIM for Groups or access package"). */
function namesOf(kinds: readonly WorkKind[], last: 'and' | 'or'): string {
  const names = kinds.map((k) => inSentence(KIND_NAMES[k]));
  return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} ${last} ${names.at(-1)}`;
}

/** A name's first letter small inside a sentence, unless it starts an acronym ("PIM"). */
function inSentence(name: string): string {
  return /^[A-Z][a-z]/.test(name) ? name.charAt(0).toLowerCase() + name.slice(1) : name;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
