// Text from outside (Graph's names, justifications, states, request-ids) cut to a length a card can
// carry: by user-perceived characters (graphemes), so a cut never splits an emoji or a letter from
// its mark, and by UTF-16 units too, since one grapheme can be any length (a letter followed by
// thousands of combining marks) and a card has a size Teams refuses past (413 MessageSizeTooBig).

const GRAPHEMES = new Intl.Segmenter('und', { granularity: 'grapheme' });

/** `text` as user-perceived characters (grapheme clusters): a cut between two of them never
 * splits a flag, an emoji sequence or a letter from its mark (https://www.unicode.org/reports/tr29/). */
function charactersOf(text: string): string[] {
  return Array.from(GRAPHEMES.segment(text), (g) => g.segment);
}

/** UTF-16 units a cut text keeps per character allowed: two, as a character outside the BMP (an
 * emoji) takes, so `max` of those still fit. A grapheme can be far longer (a letter followed by
 * hundreds of combining marks, free text a requester may type): counting graphemes alone, such a
 * justification is "1 character" of over a kilobyte and no cut makes the card fit. */
const UNITS_PER_CHARACTER = 2;

/** The first `count` graphemes of `chars` within `units` UTF-16 units; a first grapheme longer
 * than `units` is cut between its code points. */
function front(chars: readonly string[], count: number, units: number): string {
  let out = '';
  for (const c of chars.slice(0, count)) {
    if (out.length + c.length <= units) out += c;
    else {
      if (out === '') out = codePoints(c, units, 'front');
      break;
    }
  }
  return out;
}

/** The last `count` graphemes of `chars` within `units` UTF-16 units, as front() from the end. */
function back(chars: readonly string[], count: number, units: number): string {
  let out = '';
  for (const c of chars.slice(Math.max(0, chars.length - count)).reverse()) {
    if (out.length + c.length <= units) out = c + out;
    else {
      if (out === '') out = codePoints(c, units, 'back');
      break;
    }
  }
  return out;
}

/** As many whole code points of `c` as `units` UTF-16 units hold, from its front or its back. */
function codePoints(c: string, units: number, from: 'front' | 'back'): string {
  const points = from === 'front' ? [...c] : [...c].reverse();
  let out = '';
  for (const p of points) {
    if (out.length + p.length > units) break;
    out = from === 'front' ? out + p : p + out;
  }
  return out;
}

/** `text` within `max` characters and `max` × UNITS_PER_CHARACTER UTF-16 units. */
const fits = (text: string, chars: readonly string[], max: number): boolean =>
  chars.length <= max && text.length <= max * UNITS_PER_CHARACTER;

/** `text` cut in its middle to at most `max` characters (whole graphemes) and as many UTF-16 units
 * as UNITS_PER_CHARACTER allows, marked with "…": an outcome names who decided in its middle and
 * ends with what became of the click, which stays. */
export function clippedMiddle(text: string, max: number): string {
  // Never more graphemes than UTF-16 units: most text is short enough without segmenting it.
  if (text.length <= max) return text;
  const chars = charactersOf(text);
  if (fits(text, chars, max)) return text;
  const head = Math.floor((max - 1) / 2);
  const units = max * UNITS_PER_CHARACTER - 1;
  const headUnits = Math.floor(units / 2);
  return `${front(chars, head, headUnits)}…${back(chars, max - 1 - head, units - headUnits)}`;
}

/** `text` cut to at most `max` characters (whole graphemes) and as many UTF-16 units as
 * UNITS_PER_CHARACTER allows, marked with "…" when cut. */
export function clipped(text: string, max: number): string {
  if (text.length <= max) return text;
  // Segments only as far as the cut: the rest of a long name is not needed.
  const kept: string[] = [];
  let units = 0;
  for (const { segment } of GRAPHEMES.segment(text)) {
    kept.push(segment);
    units += segment.length;
    if (kept.length > max || units > max * UNITS_PER_CHARACTER)
      return `${front(kept, max - 1, max * UNITS_PER_CHARACTER - 1)}…`;
  }
  return text;
}
