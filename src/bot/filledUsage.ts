// A command as the person meant it, with the values they typed (contract §3: "the closest valid
// usage, and no Graph call"). After a slip in the keywords ("cancel role request 6b6f…") the card
// offers the command to send again without typing the ids anew. Only values that are values are
// kept: an id that is no GUID, a decision that is neither, a justification too long stays a
// placeholder. Nothing here reaches Graph: the card only shows the line.

import { isGuid } from '../domain/operations';
import type { GrammarRule } from './grammar';
import { justificationFrom } from './justification';

/** `rule`'s usage with the values typed after its keywords, or null when they are not its values
 * (too few or too many) or none of them is one (the usage alone says as much). */
export function filledUsage(rule: GrammarRule, values: readonly string[]): string | null {
  const oneOf = typeof rule.decision === 'object' ? rule.decision.oneOf : null;
  const expected = rule.ids.length + (oneOf ? 1 : 0);
  if (rule.justification ? values.length < expected : values.length !== expected) return null;
  let kept = 0;
  const keep = (value: string | undefined, placeholder: string): string => {
    if (value === undefined) return placeholder;
    kept += 1;
    return value;
  };
  const line = rule.ids.map((name, i) => {
    const value = values[i] ?? '';
    return keep(isGuid(value) ? value : undefined, `<${name}>`);
  });
  if (oneOf) {
    const word = (values[rule.ids.length] ?? '').toLowerCase();
    line.push(
      keep(
        oneOf.find((d) => d === word),
        oneOf.join('|'),
      ),
    );
  }
  if (rule.justification) {
    const text = values.slice(expected).join(' ');
    const fits = text !== '' && 'justification' in justificationFrom(text, rule.justification);
    // An optional one left out leaves a command to send as it is.
    if (fits || rule.justification.required) line.push(keep(fits ? text : undefined, '<justification>'));
  }
  return kept === 0 ? null : `${rule.words.join(' ')} ${line.join(' ')}`;
}
