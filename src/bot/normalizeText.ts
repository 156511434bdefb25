// The text of a Teams message as the chat grammar (commands.ts) reads it.

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** The white space the grammar reads between words: any (U+FEFF among it, as JavaScript's \s has
 * it), the no-break space, and the zero-width space U+200B (Teams and web pages put it where a long
 * word may wrap). */
const SPACES = /[\s\u200b\u00a0]+/g;
/** Of those, the ones no one sees. */
const INVISIBLE_SPACE = /[\u200b\ufeff]/;

/**
 * Teams delivers HTML-ish text: mentions as <at>…</at>, entities, sometimes <p> wrappers. The bot's
 * own mentions are removed before, by their entities (botMentions.ts); when the activity named the
 * bot in none, mentions that open the message are taken for it (`botMentioned` false). Anyone else's
 * mention stays a word, as `@name`, so a command followed by it is refused like any other trailing
 * words (contract §3: only the bot's mention is stripped).
 */
export function normalizeText(raw: string, botMentioned = false): string {
  return decodedText(raw, botMentioned).replace(SPACES, ' ').trim();
}

/** The message as normalizeText reads it, before its white space is made single spaces. */
export function decodedText(raw: string, botMentioned = false): string {
  return (
    (botMentioned ? raw : raw.replace(/^(?:\s|&nbsp;|<p>)*(?:<at>[\s\S]*?<\/at>(?:\s|&nbsp;)*)+/i, ' '))
      .replace(/<at>([\s\S]*?)<\/at>/gi, (_m, name: string) => ` @${name.replace(/\s+/g, '') || 'someone'} `)
      // Tags only: a name of letters and digits, then attributes after white space. "<6b6f…>" (an id
      // typed in place of the usage's "<requestId>", in plain text) stays a word, refused as no GUID.
      // An inline picture's or emoji's <img> has long attributes (src, itemtype, style). A "<" ends
      // the look (a tag with one among its attributes stays text): a run of "<" with no ">" is
      // looked at once, not up to the bound from each "<".
      .replace(/<\/?[a-z][a-z0-9]*(?:\s[^<>]{0,2000})?\/?>/gi, ' ')
      .replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (m, code: string) => {
        if (code[0] === '#') {
          const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
          return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : ' ';
        }
        return ENTITIES[code.toLowerCase()] ?? m;
      })
  );
}

/** The invisible character (a zero-width space, a zero-width no-break space) among the white space
 * between the words `a` and `b` where they stand side by side in `decoded` (decodedText), or null
 * when only white space one sees is between them. */
export function invisibleSpaceBetween(decoded: string, a: string, b: string): string | null {
  const escape = (w: string): string => w.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  const run = new RegExp(`${escape(a)}(${SPACES.source})${escape(b)}`).exec(decoded)?.[1];
  return run ? (INVISIBLE_SPACE.exec(run)?.[0] ?? null) : null;
}
