// The card whose button was pressed, kept with a press that waits for sign-in, so that the press
// resumes after sign-in as the click it was (the card-action service: claim, write, the card
// edited for everyone, its final word kept, audited with its card), never as a typed command.
// Action.Execute or its Action.Submit fallback alike: "Your Bot should be coded in such a way that
// it can process both Action.Execute and Action.Submit".
// https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/universal-action-model#teams

import type { Activity } from 'botbuilder';
import type { ListName } from '../domain/myWork';

export interface PressedCard {
  /** The id of the message that holds the card (the press's replyToId). */
  readonly activityId: string;
  /** How the press came: Action.Execute (an invoke) or Action.Submit (a message). */
  readonly via: 'execute' | 'submit';
  /** A list card's row (its button data names the list); absent: a notification card. */
  readonly list?: ListName;
}

/** The card a button press came from; null when the activity names none. */
export function pressedCardOf(activity: Partial<Activity>): PressedCard | null {
  const activityId = activity.replyToId;
  if (typeof activityId !== 'string' || activityId === '') return null;
  const via = activity.type === 'invoke' ? 'execute' : 'submit';
  const value = activity.value as { action?: { data?: unknown } } | undefined;
  const data = (via === 'execute' ? value?.action?.data : value) as { list?: unknown } | undefined;
  const list = data?.list === 'approvals' || data?.list === 'requests' ? data.list : undefined;
  return { activityId, via, ...(list ? { list } : {}) };
}
