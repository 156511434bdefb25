// What an administrator does about an event that could not reach its recipient. Such an event is
// not sent again, and its record is kept 30 days after it ended (eventRetention.ts), during which
// the same eventId posted again is a duplicate that sends nothing: the reason on GET says so, and
// that the event goes again under a new eventId once the bot can reach the recipient.

/** "This event is not sent again: once `when`, post it under a new eventId …" */
export function notSentAgain(when: string): string {
  return (
    `This event is not sent again: once ${when}, post it under a new eventId ` +
    '(the same eventId is answered as a duplicate for 30 days and sends nothing).'
  );
}
