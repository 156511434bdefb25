// The rule a decision's justification keeps, typed (commands.ts) or entered on a card (cardActions.ts).

import { characterCount, withoutControls } from '../domain/characters';
import type { JustificationRule } from '../domain/operations';

/** The justification as typed or entered, as it is checked and sent: without control characters
 * but tab and line feed (characters.ts withoutControls, which Graph's body leaves out too), and
 * without the white space around it. One made only of such characters is none. */
export function justificationOf(raw: string): string {
  return withoutControls(raw).trim();
}

/** Null when the justification fits the decision's rule (required, at most maxLength characters),
 * counted as it is sent (justificationOf).
 * A missing one is asked for where it was to be given: after the request id of a typed command,
 * or in the card's "Why?" box (replyCards.ts buttonsFor labels it so). A rule that asks for it
 * only on a card (a PIM approval: its default policy wants the approver's reason) lets the typed
 * command go without one. */
export function justificationProblem(
  text: string,
  rule: JustificationRule,
  given: 'command' | 'card' = 'command',
  /** The command that decides the item with a reason, for a card whose Approve has no box yet
   * (posted before PIM approvals asked for one). */
  typed?: string,
): string | null {
  const onCard = given === 'card' && rule.requiredOnCard === true;
  const sent = justificationOf(text);
  if ((rule.required || onCard) && sent === '') {
    if (given === 'command') return 'A justification is required: say why, after the request id.';
    return rule.required
      ? 'A justification is required: type why in the card’s “Why?” box, then press the button again.'
      : `A justification is required to approve: Microsoft Entra PIM asks approvers for their reason by default. Type why in the card’s “Why?” box, then press the button again${typed ? `, or send "${typed}"` : ''}. Nothing was sent to Microsoft Graph.`;
  }
  const length = characterCount(sent);
  if (length > rule.maxLength) {
    return `The justification is ${length} characters long; the Entra admin center takes at most ${rule.maxLength}, and so does Governance Bot.`;
  }
  return null;
}
