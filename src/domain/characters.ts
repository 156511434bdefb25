// Lengths in characters as a person counts them. JavaScript's `length` counts UTF-16 code units,
// so a character outside the Basic Multilingual Plane (many emoji, rarer CJK ideographs) counts
// twice: a limit stated "in characters" would refuse half the text it promises to take.

/** The number of Unicode code points in `s`. */
export function characterCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** The first `max` characters (code points) of `s`, never half of a surrogate pair. */
export function firstCharacters(s: string, max: number): string {
  if (s.length <= max) return s;
  let out = '';
  let n = 0;
  for (const c of s) {
    if (n++ === max) break;
    out += c;
  }
  return out;
}

/** `s` without control characters (C0 and C1, and DEL) other than tab and line feed: what a person
 * typed or pasted as free text sent on to Graph (a justification), where such a character shows as
 * nothing or as a box. */
export function withoutControls(s: string): string {
  let out = '';
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    if ((cp < 0x20 && c !== '\t' && c !== '\n') || (cp >= 0x7f && cp <= 0x9f)) continue;
    out += c;
  }
  return out;
}

/** C0 and C1 controls, DEL, and the line and paragraph separators: none is part of an id or a word
 * Graph names, and in a log line a C1 NEL or U+2028 (which JSON leaves as they are) may end the
 * line for the reader that splits it. */
export function isControl(c: string): boolean {
  const cp = c.codePointAt(0)!;
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029;
}

/** `s` without any character isControl names, tab and line feed among them: a value that goes on
 * to a log line, an audit line or a key, not free text a person reads in lines. */
export function withoutAnyControl(s: string): string {
  let out = '';
  for (const c of s) if (!isControl(c)) out += c;
  return out;
}
