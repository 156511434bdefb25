// Which command a mistyped one was meant to be. Contract §3 answers anything that is not a command
// with "the closest valid usage": a slip of a key or two ("cancle", "my approval") is answered with
// the command it was close to, not with every usage there is. What counts as close is a few edits
// (a letter added, dropped, changed, or two letters swapped) on the keywords, scaled with their
// length so a short word is never "close" to an unrelated one.

/** A command's keywords, lower case, and its usage line. */
export interface CommandHead {
  readonly words: readonly string[];
  readonly usage: string;
  /** What people type for this command in other tools ("logout" for "sign out", "?" for "help"):
   * not commands (contract §3 lists the commands exactly), but as close to it as its own words. */
  readonly alsoTypedAs?: readonly (readonly string[])[];
  /** The command with the values typed after its words, when they are its values. */
  readonly filled?: (values: readonly string[]) => string | null;
}

/** A head found near what was typed, and how many of the typed words it stands for. */
export type NearHead = CommandHead & { readonly typedWords: number };

/** The heads nearest to what was typed (several when tied), or none within reach. Only as many
 * words as both have are compared: a lone "cancle" is close to every "cancel …" command. Of two
 * heads as near, the one that matched more words wins ("alert on" is "alerts on", not "alerts"). */
export function closestHeads(typed: readonly string[], heads: readonly CommandHead[]): NearHead[] {
  let best = { edits: Infinity, words: 0 };
  let found: NearHead[] = [];
  for (const head of heads) {
    const near = nearestSpelling(typed, head);
    if (near === null) continue;
    const { edits, words: n } = near;
    if (edits < best.edits || (edits === best.edits && n > best.words)) {
      best = { edits, words: n };
      found = [{ ...head, typedWords: near.typed }];
    } else if (edits === best.edits && n === best.words) {
      found.push({ ...head, typedWords: near.typed });
    }
  }
  return found;
}

/** How near `typed` comes to the head's own words (a few slips allowed), or to one of what it is
 * also typed as (word for word: "?" must not make every one-letter message a slip of it). `typed`
 * in the answer: how many typed words were compared. */
function nearestSpelling(
  typed: readonly string[],
  head: CommandHead,
): { edits: number; words: number; typed: number } | null {
  const other = (head.alsoTypedAs ?? []).find((s) => s.length <= typed.length && s.every((w, i) => typed[i] === w));
  if (other) return { edits: 0, words: other.length, typed: other.length };
  const n = Math.min(typed.length, head.words.length);
  if (n === 0) return null;
  const meant = head.words.slice(0, n).join(' ');
  const reach = allowedEdits(meant);
  const edits = editDistance(typed.slice(0, n).join(' '), meant, reach);
  let near = edits > reach ? null : { edits, words: n, typed: n };
  // A space left out or typed as a hyphen ("myapprovals", "cancel-run"), or one too many ("role
  // request"), is a slip of a key too: the whole head against one word fewer or more typed.
  const whole = head.words.join(' ');
  const wholeReach = allowedEdits(whole);
  for (const m of [head.words.length - 1, head.words.length + 1]) {
    if (m < 1 || m > typed.length) continue;
    const e = editDistance(typed.slice(0, m).join(' '), whole, wholeReach);
    if (e <= wholeReach && (near === null || e < near.edits)) near = { edits: e, words: head.words.length, typed: m };
  }
  return near;
}

/** One edit per five letters, at least one: "help" forgives one slip, "cancel role-request" three. */
function allowedEdits(meant: string): number {
  return Math.max(1, Math.floor(meant.length / 5));
}

/** Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`; any answer above
 * `cap` only means "too far" (the rows stop early once every cell is past it). */
export function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowBest = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      current.push(d);
      rowBest = Math.min(rowBest, d);
    }
    if (rowBest > cap) return cap + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}
