// The rule a decision's justification keeps, typed (commands.ts) or entered on a card (cardActions.ts).

import { characterCount } from '../domain/characters';

/** Null when the justification fits the decision's rule (required, at most maxLength characters). */
export function justificationProblem(
  text: string,
  rule: { readonly required: boolean; readonly maxLength: number },
): string | null {
  if (rule.required && text.trim() === '') return 'A justification is required: say why, after the request id.';
  const length = characterCount(text);
  if (length > rule.maxLength) {
    return `The justification is ${length} characters long; the Entra admin center takes at most ${rule.maxLength}, and so does Governance Bot.`;
  }
  return null;
}
