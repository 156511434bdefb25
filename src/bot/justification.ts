// The rule a decision's justification keeps, typed (commands.ts) or entered on a card (cardActions.ts).

import { characterCount } from '../domain/characters';

/** Null when the justification fits the decision's rule (required, at most maxLength characters).
 * A missing one is asked for where it was to be given: after the request id of a typed command,
 * or in the card's "Why?" box (replyCards.ts buttonsFor labels it so). */
export function justificationProblem(
  text: string,
  rule: { readonly required: boolean; readonly maxLength: number },
  given: 'command' | 'card' = 'command',
): string | null {
  if (rule.required && text.trim() === '') {
    return given === 'card'
      ? 'A justification is required: type why in the card’s “Why?” box, then press the button again.'
      : 'A justification is required: say why, after the request id.';
  }
  const length = characterCount(text);
  if (length > rule.maxLength) {
    return `The justification is ${length} characters long; the Entra admin center takes at most ${rule.maxLength}, and so does Governance Bot.`;
  }
  return null;
}
