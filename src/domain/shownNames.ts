// What a card may show of a text it did not write: the characters that make a card read otherwise
// than it is, and a directory name as the card shows it. One place for the intake (an event's names,
// notifications/eventFields.ts) and for the names Graph's reads give (list rows, result cards).

import { characterCount, firstCharacters } from './characters';

export interface Unshown {
  readonly code: string;
  readonly what: string;
  readonly surrogate: boolean;
  /** For a refusal: the code and what it is, with what is taken instead. */
  readonly described: string;
}

/** The first character of `text` a card may not show, or null. Bidirectional embeddings, overrides
 * and isolates (U+202A-U+202E, U+2066-U+2069) make a card read otherwise than it is (an approval's
 * names reordered: "Trojan Source", CVE-2021-42574); control characters other than tab and line
 * breaks show as nothing or as boxes; half a surrogate pair (JSON.parse takes "\ud800" as written)
 * is no character at all. The marks of right-to-left text (U+200E, U+200F, U+061C) stay: they only
 * set the direction of their neighbours. */
export function unshowable(text: string): Unshown | null {
  for (const c of text) {
    const cp = c.codePointAt(0)!;
    const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    if ((cp < 0x20 && c !== '\t' && c !== '\n' && c !== '\r') || (cp >= 0x7f && cp <= 0x9f))
      return unshown(code, 'a control character', false, '; tabs and line breaks are taken');
    if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
      return unshown(
        code,
        'a bidirectional embedding, override or isolate',
        false,
        ', which can make the card read otherwise than it is',
      );
    if (cp >= 0xd800 && cp <= 0xdfff) return unshown(code, 'half of a surrogate pair', true, ', which is no character');
  }
  return null;
}

const unshown = (code: string, what: string, surrogate: boolean, why: string): Unshown => ({
  code,
  what,
  surrogate,
  described: `${code} (${what}${why})`,
});

export interface ShownName {
  /** The name as the card shows it. */
  readonly text: string;
  /** The characters left out (distinct, in the order met). */
  readonly left: readonly Unshown[];
  /** Its length in characters, after those left out; more than `max` when it was shortened. */
  readonly length: number;
}

/** A name from the directory (a person's, a group's, a role's, an access package's, a workflow's)
 * as a card shows it: without the characters `unshowable` names (half a surrogate pair shown as
 * U+FFFD), and, when longer than `max` characters (Entra takes up to 256 for a user's or a group's
 * displayName), its first `max - 1` followed by "…". Never refused: the name is not the sender's
 * to rewrite, and a card that never comes helps nobody. */
export function shownName(raw: string, max: number): ShownName {
  let text = '';
  const met = new Map<string, Unshown>();
  for (const c of raw) {
    const u = unshowable(c);
    if (!u) text += c;
    else {
      if (u.surrogate) text += '\uFFFD';
      met.set(u.code, u);
    }
  }
  const length = characterCount(text);
  if (length > max) text = `${firstCharacters(text, max - 1)}…`;
  return { text, left: [...met.values()], length };
}

/** A name a Graph read gives, as a card shows it; null when it is no string or shows as nothing. */
export function graphName(v: unknown, max: number): string | null {
  if (typeof v !== 'string') return null;
  const { text } = shownName(v, max);
  return text.trim() === '' ? null : text;
}
