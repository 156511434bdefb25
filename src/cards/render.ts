// Binds the Adaptive Card templates in cards/ with adaptivecards-templating. One data type per
// template, so a card cannot be rendered with the wrong shape; any expression left unbound is a
// bug and throws rather than showing "${...}" to a person.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Template } from 'adaptivecards-templating';
import { projectRoot } from '../paths';

export interface Fact {
  readonly title: string;
  readonly value: string;
}

/**
 * A button of an item card: a plain Action.Execute, or (with `input`) a button that first opens a
 * required text box (a justification) and sends it with the action.
 */
export interface CardButton {
  readonly title: string;
  readonly data: Record<string, unknown>;
  /** The id of the text box to ask for, or '' for a plain button. */
  readonly input: string;
  readonly inputLabel: string;
  readonly inputError: string;
  readonly maxLength: number;
}

export interface CardData {
  result: { title: string; outcome: string; facts: Fact[]; footer: string };
  error: {
    title: string;
    what: string;
    next: string;
    facts: Fact[];
    support: string;
    /** attention (red): it failed; warning (yellow): not applied, the item was decided or ended
     * already, as a pressed card shows it. */
    style: 'attention' | 'warning';
  };
  usage: { heading: string; problem: string; usages: Array<{ line: string }>; askHelp: string };
  info: { title: string; text: string };
  help: { intro: string; commands: Array<{ description: string; usage: string; example: string }>; note: string };
  actionable: {
    title: string;
    /** What the card was about, kept above a press's outcome ('' for none). */
    about: string;
    text: string;
    facts: Fact[];
    notice: string;
    noticeStyle: 'good' | 'attention' | 'warning' | 'emphasis';
    actions: CardButton[];
  };
  list: {
    title: string;
    subtitle: string;
    rows: ListRow[];
    notes: Array<{ text: string }>;
    /** The buttons that turn the card's pages: First page, Previous and More, each while it leads
     * somewhere. */
    pages: Array<{ title: string; data: Record<string, unknown> }>;
  };
}

export type CardName = keyof CardData;

/** One row of a list card (my approvals, my requests): its facts, a notice, its buttons. */
export interface ListRow {
  readonly heading: string;
  readonly facts: Fact[];
  readonly notice: string;
  readonly noticeColor: 'good' | 'attention' | 'warning' | 'accent' | 'default';
  readonly hasActions: boolean;
  readonly actions: ListButton[];
}

/**
 * A list row's button: a card's button, or (with `choices`) one that opens a single required
 * text box (`input`) under which each choice is a button sending that box's value with its data:
 * a PIM row's Approve and Deny share one "Why?" box, as two would weigh too much for a page.
 */
export interface ListButton extends CardButton {
  /** The buttons under the shared box, or [] for a button as a card shows it. */
  readonly choices: Array<{ readonly title: string; readonly data: Record<string, unknown> }>;
}

export interface AdaptiveCardAttachment {
  readonly contentType: 'application/vnd.microsoft.card.adaptive';
  readonly content: Record<string, unknown>;
}

const cache = new Map<string, Template>();

function template(name: string): Template {
  let t = cache.get(name);
  if (!t) {
    const json: unknown = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'cards', `${name}.json`), 'utf8'));
    t = new Template(json);
    cache.set(name, t);
  }
  return t;
}

/**
 * A mark that occurs nowhere in the data (its JSON is `raw`). It stands in for "${" in text from
 * outside while the template binds, and is put back afterwards: adaptivecards-templating binds data
 * literally (it never evaluates an expression found in a value), so a name like "${x}" is shown as
 * it is, while any "${" left in the bound card can only be an expression the template itself left
 * unbound.
 */
function markFor(raw: string): string {
  let mark = '\uE000';
  while (raw.includes(mark)) mark += '\uE000';
  return mark;
}

/** Every string in `value` with `from` replaced by `to`. */
function swap(value: unknown, from: string, to: string): unknown {
  if (typeof value === 'string') return value.split(from).join(to);
  if (Array.isArray(value)) return value.map((v) => swap(v, from, to));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swap(v, from, to)]));
  }
  return value;
}

/** Longest run shown without a break opportunity: longer than what people copy from a card (a
 * GUID is 36 characters, a Graph permission name up to 52), short enough for a card's width. */
const LONGEST_RUN = 64;
// Tried only where a run begins (the look-behind): a match can start nowhere else, and trying
// every character of every word cost the search its word length at each one.
const LONG_RUN = new RegExp(`(?<![^\\s\u200b])[^\\s\u200b]{${LONGEST_RUN + 1},}`, 'g');

const GRAPHEMES = new Intl.Segmenter('und', { granularity: 'grapheme' });

/** `run` with a zero-width space after every LONGEST_RUN user-perceived characters (not at its
 * end). Counting whole characters keeps a Thai vowel mark with its consonant and an emoji sequence
 * or a flag in one piece (https://www.unicode.org/reports/tr29/). */
function broken(run: string): string {
  let out = '';
  let count = 0;
  for (const { segment } of GRAPHEMES.segment(run)) {
    if (count === LONGEST_RUN) {
      out += '\u200b';
      count = 0;
    }
    out += segment;
    count += 1;
  }
  return out;
}

/** The start of a date function: the renderers show "{{DATE(2026-12-31T00:00:00Z)}}" or
 * "{{TIME(…)}}" as the date or time in the reader's locale, in a TextRun as in a TextBlock
 * (https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/text-features). Only
 * upper-case, with nothing between the braces: a word joiner (U+2060, invisible, no line break)
 * between them keeps a name or a justification that holds one as it was written. The bot's own
 * dates (the reminder card's expiry) are in a TextBlock and stay localised. */
const DATE_FUNCTION = /\{\{(?=(?:DATE|TIME)\()/g;

/**
 * Shown text (TextRuns, where outside text sits) with an invisible zero-width space inside every
 * unbroken run longer than LONGEST_RUN: a TextRun does not break inside a word the way a wrapping
 * TextBlock does, so a 300-letter name would push the card wider than the screen; and with no date
 * function (DATE_FUNCTION). Button data and input ids are not TextRuns and stay as they are.
 */
function breakLongRuns(value: unknown): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    value.forEach((v, i) => {
      const next = breakLongRuns(v);
      if (next !== v) (out ??= [...value])[i] = next;
    });
    return out ?? value;
  }
  if (!value || typeof value !== 'object') return value;
  const node = value as Record<string, unknown>;
  if (node.type === 'TextRun' && typeof node.text === 'string') {
    const written = node.text.includes('{{') ? node.text.replace(DATE_FUNCTION, '{\u2060{') : node.text;
    // A text no longer than the longest run holds no longer run: most of them, left unsearched.
    const text = written.length <= LONGEST_RUN ? written : written.replace(LONG_RUN, broken);
    return text === node.text ? node : { ...node, text };
  }
  // Copied only along a path that changed: most cards have no long run, and then nothing is copied.
  let out: Record<string, unknown> | null = null;
  for (const key in node) {
    const next = breakLongRuns(node[key]);
    if (next !== node[key]) (out ??= { ...node })[key] = next;
  }
  return out ?? node;
}

export function renderCard<N extends CardName>(name: N, data: CardData[N]): AdaptiveCardAttachment {
  return bindTemplate(name, data);
}

/** Binds the template cards/<name>.json; typed wrappers (renderCard, renderAlertCard) pick the data
 * shape per template. */
export function bindTemplate(name: string, data: unknown): AdaptiveCardAttachment {
  const raw = JSON.stringify(data) ?? '';
  // Only data holding "${" (rare) needs the mark; without it the data binds as it is.
  const mark = raw.includes('${') ? markFor(raw) : null;
  const bound = template(name).expand({ $root: mark ? swap(data, '${', `${mark}{`) : data }) as unknown;
  // The card's JSON is searched only when some text or key of it holds "${" (the search's one
  // sign: JSON escapes neither "$" nor "{", and the card's closing brace always follows).
  const unbound = holdsExpression(bound) ? /\$\{[^}]*\}/.exec(JSON.stringify(bound)) : null;
  if (unbound) throw new Error(`Card ${name} left ${unbound[0]} unbound.`);
  const content = breakLongRuns(mark ? swap(bound, `${mark}{`, '${') : bound) as Record<string, unknown>;
  return { contentType: 'application/vnd.microsoft.card.adaptive', content };
}

/** True when a string, or a key, anywhere in `value` holds "${"; true as well for anything but
 * plain objects and arrays (its JSON is its own: the search then decides). */
function holdsExpression(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('${');
  if (Array.isArray(value)) return value.some(holdsExpression);
  if (!value || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return true;
  for (const key in value) {
    if (key.includes('${') || holdsExpression((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}
