// The channel alert commands of issue 10: `alerts`, `alerts on <category>`, `alerts off <category>`.
// Kept apart from the operation grammar (commands.ts), which the catalog derives: these name no
// Graph operation. The category is matched by id, display name or alias (alerts/categories.ts).

import { CATEGORIES, CATEGORY_IDS, CategoryId, parseCategory } from '../alerts/categories';
import { firstUnits } from './grammar';

export type AlertsCommand =
  | { readonly kind: 'alerts'; readonly action: 'show' }
  | { readonly kind: 'alerts'; readonly action: 'on' | 'off'; readonly category: CategoryId };

export const ALERTS_USAGE = ['alerts', 'alerts on <category>', 'alerts off <category>'].join('\n');

/** The daily digest is no category: the settings card's "Daily digest" toggle chooses it
 * (README "Channel alerts"). Said in a personal or group chat too, where "alerts" shows no card:
 * it names where the card is. */
const DIGEST_ON_CARD =
  'The daily digest is not a category: each team channel turns it on or off on its settings card. In a team channel, @mention Governance Bot with "alerts" for the card, switch "Daily digest" and select Save.';

const DIGEST_HEADING = 'The daily digest is switched on the settings card';

/** The categories as a person may type them, for error cards. */
function categoryChoices(): string {
  return CATEGORY_IDS.map((id) => `${CATEGORIES[id].aliases[0] ?? id} (${CATEGORIES[id].name})`).join(', ');
}

/** Parses the words after `alerts`. */
export function parseAlertsCommand(
  rest: readonly string[],
):
  | AlertsCommand
  | { readonly kind: 'bad'; readonly problem: string; readonly usage: string; readonly heading?: string } {
  if (rest.length === 0) return { kind: 'alerts', action: 'show' };
  const verb = (rest[0] ?? '').toLowerCase();
  if (verb !== 'on' && verb !== 'off') {
    return {
      kind: 'bad',
      problem: 'After "alerts" comes "on" or "off" and a category, or nothing.',
      usage: ALERTS_USAGE,
    };
  }
  const named = rest.slice(1).join(' ');
  if (/^(daily )?digest$/i.test(named)) {
    return { kind: 'bad', problem: DIGEST_ON_CARD, usage: ALERTS_USAGE, heading: DIGEST_HEADING };
  }
  const category = parseCategory(named);
  if (!category) {
    return {
      kind: 'bad',
      problem: named
        ? `"${firstUnits(named, 40)}" is not an alert category. The categories are: ${categoryChoices()}.`
        : `"alerts ${verb}" needs a category: ${categoryChoices()}.`,
      usage: ALERTS_USAGE,
      heading: `Check what follows "alerts ${verb}"`,
    };
  }
  return { kind: 'alerts', action: verb, category };
}

/** `alerts on|off` (`words`) with the category typed after a slip in them, when it is one. */
export function filledAlerts(words: readonly string[], values: readonly string[]): string | null {
  const named = values.join(' ');
  return words.length === 2 && parseCategory(named) ? `${words.join(' ')} ${named}` : null;
}
