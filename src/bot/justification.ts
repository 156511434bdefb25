// The rule a decision's justification keeps, typed (commands.ts) or entered on a card (cardActions.ts).
// The one place a justification is cleaned: the catalog sends Graph the target's as it is.

import { characterCount, withoutControls } from '../domain/characters';
import type { JustificationRule } from '../domain/operations';

/** The justification to send, or what is wrong with the one given. */
export type JustificationFrom = { readonly justification: string } | { readonly problem: string };

/**
 * The justification as typed or entered, as it is checked and sent: without control characters
 * but tab and line feed (characters.ts withoutControls: they show as nothing or as boxes where
 * Graph's text is read), and without the white space around it; one made only of such characters
 * is none. Or the problem when it does not fit the decision's rule (required, at most maxLength
 * characters, counted as sent).
 * A missing one is asked for where it was to be given: after the request id of a typed command,
 * or in the card's "Why?" box (replyCards.ts buttonsFor labels it so). A rule that asks for it
 * only on a card (a PIM approval: its default policy wants the approver's reason) lets the typed
 * command go without one.
 */
export function justificationFrom(
  raw: string,
  rule: JustificationRule,
  /** Typed after a command; in a card's box; or pressed on a card whose press carried no box at all
   * (a PIM card's Approve posted before PIM approvals asked for a reason). */
  given: 'command' | 'card' | 'cardWithoutBox' = 'command',
  /** The command that decides the item with a reason, for a card whose Approve has no box. */
  typed?: string,
): JustificationFrom {
  const justification = withoutControls(raw).trim();
  const onCard = given !== 'command' && rule.requiredOnCard === true;
  if ((rule.required || onCard) && justification === '') {
    if (given === 'command') return { problem: 'A justification is required: say why, after the request id.' };
    if (rule.required)
      return {
        problem: 'A justification is required: type why in the card’s “Why?” box, then press the button again.',
      };
    const pim =
      'A justification is required to approve: Microsoft Entra PIM asks approvers for their reason by default.';
    if (given === 'cardWithoutBox' && typed)
      return {
        problem: `${pim} This card’s Approve sends none. Send "${typed}" instead, with your reason in place of <reason>. Nothing was sent to Microsoft Graph.`,
      };
    return {
      problem: `${pim} Type why in the card’s “Why?” box, then press the button again${typed ? `, or send "${typed}"` : ''}. Nothing was sent to Microsoft Graph.`,
    };
  }
  const length = characterCount(justification);
  if (length > rule.maxLength) {
    return {
      problem: `The justification is ${length} characters long; the Entra admin center takes at most ${rule.maxLength}, and so does Governance Bot.`,
    };
  }
  return { justification };
}
