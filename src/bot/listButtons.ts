// A list row's buttons: the item card's (replyCards.ts buttonsFor), each naming the list it came
// from, except that a row whose every decision asks "Why?" first (a PIM role or PIM for Groups
// approval: Approve needs the approver's reason as Deny does) asks it once. One "Approve or deny"
// button opens one required box with Approve and Deny under it, both sending that box's value:
// two boxes a row weighed too much for a page of ten rows within what Teams accepts in one
// message (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/format-your-bot-messages).

import type { ListButton } from '../cards/render';
import type { ListName } from '../domain/myWork';
import type { Target } from '../domain/operations';
import { sharedJustificationInputId } from './cardActions';
import { buttonsFor } from './replyCards';

export function rowButtons(target: Target, list: ListName): ListButton[] {
  const buttons = buttonsFor(target).map((b) => ({ ...b, data: { ...b.data, list }, choices: [] }));
  if (buttons.length < 2 || buttons.some((b) => b.input === '')) return buttons;
  const maxLength = Math.min(...buttons.map((b) => b.maxLength));
  const title = buttons.map((b, i) => (i === 0 ? b.title : b.title.toLowerCase())).join(' or ');
  return [
    {
      title,
      data: {},
      input: sharedJustificationInputId(target),
      inputLabel: `Why? (required, at most ${maxLength} characters)`,
      inputError: `Say why, in at most ${maxLength} characters.`,
      maxLength,
      // A choice whose card button names its card's box names the row's one box instead.
      choices: buttons.map((b) => ({ title: b.title, data: 'why' in b.data ? { ...b.data, why: 'row' } : b.data })),
    },
  ];
}
