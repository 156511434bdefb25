// Helpers for the cardsTeams.* tests: walk a rendered card, and what the Adaptive Cards library
// itself objects to when it parses and validates it.

import type * as AdaptiveCardsModule from 'adaptivecards';

// adaptivecards' lib/ build does not load in Node (extensionless ESM imports); its dist/ UMD
// build is the same parser and needs no DOM to parse and validate.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCardsModule;

export type Node = Record<string, unknown>;

/** Every object in the card, parents before children. */
export function nodesOf(content: unknown): Node[] {
  const out: Node[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      out.push(v as Node);
      Object.values(v).forEach(walk);
    }
  };
  walk(content);
  return out;
}

/** Problems the Adaptive Cards library reports when it parses and validates the card (1.5). */
export function libraryProblems(content: unknown): string[] {
  const card = new AC.AdaptiveCard();
  const declared = (content as { version?: unknown }).version;
  const version = typeof declared === 'string' ? AC.Version.parse(declared, new AC.SerializationContext()) : undefined;
  const context = new AC.SerializationContext(version);
  card.parse(content as object, context);
  const out: string[] = [];
  for (let i = 0; i < context.eventCount; i++) out.push(context.getEventAt(i).message);
  for (const e of card.validateProperties().validationEvents) out.push(e.message);
  return out;
}

/** The texts Teams renders as Markdown: TextBlock.text, Fact.title and Fact.value. */
export function markdownTexts(content: unknown): string[] {
  const out: string[] = [];
  for (const n of nodesOf(content)) {
    if (n.type === 'TextBlock' && typeof n.text === 'string') out.push(n.text);
    if (n.type === 'FactSet' && Array.isArray(n.facts)) {
      for (const f of n.facts as Node[]) out.push(String(f.title), String(f.value));
    }
  }
  return out;
}

/** The texts shown as they are: TextRun.text. */
export function plainTexts(content: unknown): string[] {
  return nodesOf(content)
    .filter((n) => n.type === 'TextRun' && typeof n.text === 'string')
    .map((n) => n.text as string);
}

/**
 * Each TextRun's text, and the text the Adaptive Cards renderer that Teams uses on the web and
 * desktop shows for it: the library's TextRun.internalRender, given the least of a DOM it needs
 * (an element whose innerText it sets).
 */
export function renderedRunTexts(content: unknown): Array<{ text: string; shown: string }> {
  const g = globalThis as { document?: unknown };
  const before = g.document;
  g.document = { createElement: () => ({ style: {}, classList: { add() {}, remove() {} }, setAttribute() {} }) };
  try {
    return nodesOf(content)
      .filter((n) => n.type === 'TextRun' && typeof n.text === 'string')
      .map((n) => {
        const card = new AC.AdaptiveCard();
        card.parse({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'RichTextBlock', inlines: [n] }] });
        const run = (card.getItemAt(0) as AdaptiveCardsModule.RichTextBlock).getInlineAt(0);
        const element = (run as unknown as { internalRender(): { innerText?: string } | undefined }).internalRender();
        return { text: n.text as string, shown: element?.innerText ?? '' };
      });
  } finally {
    if (before === undefined) delete g.document;
    else g.document = before;
  }
}
