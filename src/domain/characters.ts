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
