// Why an id is not a GUID, in words a person can act on: a typed one, an intake event's (its
// sender's) and a button's alike. A value pasted from a mail, a document or a chat can carry what
// no one sees or notices: an invisible character (a zero-width joiner, a word joiner, a soft
// hyphen), a hyphen that only looks like one (Word's non-breaking hyphen, a dash), the braces of
// the registry form, quotes, or the sentence's full stop. Quoting the value alone then shows what
// looks like a GUID. The id is still refused (contract §3: "every id is a GUID"; nothing that is
// not one reaches Graph): the person sees what to change. The same goes for a decision word with
// an invisible character, and for words after the values a command takes (another person's
// @mention among them). Here, not in bot/: the intake (notifications/) uses it too, whose sender is
// a program: it is told what to send, not to type the id again.

import { isGuid } from './operations';

/** Invisible format characters (Unicode Cf) that survive the message's white-space clean-up. */
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/u;
/** Characters that look like the hyphen-minus a GUID has. */
const HYPHEN_LIKE = /[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/u;

/** Who reads a refusal: a person, who typed or pasted the id (a command); the program that sent an
 * intake event, which has nothing to type and is told what to send instead; or a person who pressed
 * a button, who cannot retype its data: the bot's cards carry ids as Graph gave them, so such a
 * button is on a card the bot did not make as it makes them, and the command is the way left. */
export type IdReader = 'person' | 'program' | 'button';

/** The advice for a pressed button, whatever is wrong with its id. */
const TYPE_THE_COMMAND =
  'this button was not made as Governance Bot makes them: type the command instead (send "help" to see them)';

/** What to do about each problem, in the reader's terms. */
const ADVICE: Readonly<
  Record<
    IdReader,
    {
      readonly invisible: (what: string) => string;
      readonly hyphen: string;
      readonly odd: string;
      readonly hyphenated: (guid: string) => string;
    }
  >
> = {
  person: {
    invisible: (what) => `type ${what} again rather than paste it`,
    hyphen: 'type the hyphens again',
    odd: 'type that part again',
    hyphenated: (guid) => `type it as ${guid}`,
  },
  program: {
    invisible: (what) => `send ${what} without it`,
    hyphen: 'send the hyphen "-" (U+002D) in its place',
    odd: 'send the id with the digit or letter meant in its place',
    hyphenated: (guid) => `send it as ${guid}`,
  },
  button: {
    invisible: () => TYPE_THE_COMMAND,
    hyphen: TYPE_THE_COMMAND,
    odd: TYPE_THE_COMMAND,
    hyphenated: () => TYPE_THE_COMMAND,
  },
};

const codeOf = (ch: string): string => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
const isLowSurrogate = (s: string, i: number): boolean => /[\udc00-\udfff]/.test(s.charAt(i));
const quoted = (s: string): string => (s.includes('"') ? `'${s}'` : `"${s}"`);

/** The refusal of `value` as the id `name`, with what is wrong when it is nearly a GUID; `next`:
 * the value typed after it, which may be the rest of it. */
export function idProblem(name: string, value: string, shown: string, next?: string, cutBy?: CutBy): string {
  return idRefusal(name, value, shown, next, cutBy).problem;
}

/** The invisible character the message's clean-up read as a space between the words `a` and `b`
 * (normalizeText.ts invisibleSpaceBetween), or null when a space one sees is between them. */
export type CutBy = (a: string, b: string) => string | null;

/** The refusal, and its `brief` for the one-line summary (at most 120 units): without the GUID
 * sample and the value typed, which the card shows, so that what to change fits. */
export function idRefusal(
  name: string,
  value: string,
  shown: string,
  next?: string,
  cutBy?: CutBy,
): { problem: string; brief: string } {
  const hint = (next !== undefined ? cutInTwo([value, next], cutBy) : '') || nearlyGuidHint(value);
  return {
    problem: `${name} must be a GUID like 00000000-0000-0000-0000-000000000000, not "${shown}".${hint}`,
    brief: `${name} must be a GUID.${hint}`,
  };
}

/** What to do when two of the `values` side by side are one GUID: a space or a zero-width space
 * (which the message's clean-up reads as a space) cut a pasted id in two. An invisible one is
 * named by its code, as an invisible character inside an id is (invisibleHint), when `cutBy`
 * finds it. */
export function cutInTwo(values: readonly string[], cutBy?: CutBy): string {
  for (let i = 0; i + 1 < values.length; i++) {
    const [a, b] = [values[i]!, values[i + 1]!];
    if (isGuid(a + b) && a.length <= 40 && b.length <= 40) {
      const invisible = cutBy?.(a, b);
      const by = invisible
        ? `an invisible character (${codeOf(invisible)}) read as a space`
        : 'a space, perhaps one you cannot see';
      return ` "${a}" and "${b}" are one id cut in two by ${by}: type the id again rather than paste it.`;
    }
  }
  return '';
}

/** What to do about an invisible character in `value` (`what`: "the id", "it"), or ''. */
export function invisibleHint(value: string, what = 'the id', reader: IdReader = 'person'): string {
  const invisible = INVISIBLE.exec(value);
  if (!invisible) return '';
  const where = whereIn(value, invisible.index);
  return ` It holds an invisible character (${codeOf(invisible[0])})${where}: ${ADVICE[reader].invisible(what)}.`;
}

/** Where the character at `index` of `value` sits: after the (at most 13) units before it. */
function whereIn(value: string, index: number): string {
  const from = Math.max(0, index - 13);
  // Not from the second half of a surrogate pair (an emoji's): half a character shows as a broken one.
  const before = value.slice(isLowSurrogate(value, from) ? from + 1 : from, index);
  return before ? ` after "${before}"` : ' at its start';
}

/** What to do about the values after the last one a command takes (`expected`), or ''. */
export function tooManyHint(
  values: readonly string[],
  expected: number,
  shown: (s: string) => string,
  cutBy?: CutBy,
): string {
  const cut = cutInTwo(values, cutBy);
  if (cut || values.length <= expected) return cut;
  return ` Leave out "${shown(values.slice(expected).join(' '))}" at the end.`;
}

/** What is wrong with `value`, when it is nearly a GUID, as a sentence to put after the refusal
 * (with its leading space), or '' (not a string, or nothing of the kind to name). The one reading
 * of an id's problem: a typed command's, an intake event's and a button's refusals all add it,
 * with the advice for their `reader`. */
export function nearlyGuidHint(value: unknown, reader: IdReader = 'person'): string {
  if (typeof value !== 'string') return '';
  const advice = ADVICE[reader];
  const invisible = invisibleHint(value, 'the id', reader);
  if (invisible) return invisible;
  const hyphen = HYPHEN_LIKE.exec(value);
  if (hyphen && isGuid(value.replace(new RegExp(HYPHEN_LIKE.source, 'gu'), '-'))) {
    return ` It holds "${hyphen[0]}" (${codeOf(hyphen[0])}) where a GUID has a hyphen "-": ${advice.hyphen}.`;
  }
  // A GUID's 32 hex digits without its hyphens (.NET's "N" form).
  if (/^[0-9a-f]{32}$/i.test(value)) {
    const guid = value.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
    return ` It has no hyphens: ${advice.hyphenated(guid)}.`;
  }
  // The shape of a GUID, one character not a hex digit (a Cyrillic "а", a fullwidth "０", a "g").
  if (/^[^-]{8}-[^-]{4}-[^-]{4}-[^-]{4}-[^-]{12}$/u.test(value)) {
    // Quoted alone, a Cyrillic "е" reads as the Latin "e": say where it sits.
    const odd = /[^0-9a-f-]/iu.exec(value);
    if (odd) {
      const where = whereIn(value, odd.index);
      return ` It holds "${odd[0]}" (${codeOf(odd[0])})${where}, which is none of the digits 0-9 and letters a-f a GUID is made of: ${advice.odd}.`;
    }
  }
  const inner = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.exec(value);
  if (!inner) return '';
  const lead = value.slice(0, inner.index);
  const tail = value.slice(inner.index + inner[0].length);
  // Only punctuation around it: anything else (another hex digit, a word) is not a slip of this kind.
  if (!/^[^\p{L}\p{N}]{0,3}$/u.test(lead) || !/^[^\p{L}\p{N}]{0,3}$/u.test(tail)) return '';
  const parts = [...(lead ? [`${quoted(lead)} before it`] : []), ...(tail ? [`${quoted(tail)} after it`] : [])];
  if (reader === 'button') return ` It has ${parts.join(' and ')}: ${TYPE_THE_COMMAND}.`;
  return ` Leave out ${parts.join(' and ')}.`;
}
