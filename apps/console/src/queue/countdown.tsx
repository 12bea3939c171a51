import { deadlineText } from '../ui/time';
import { useNow } from '../ui/use-now';

/** Time left to acknowledge, live; overdue in the alarm colour and said so in words. */
export function Countdown({ ackDeadline, acknowledgedAt }: { ackDeadline: string | null; acknowledgedAt: string | null }) {
  const now = useNow();
  // Once acknowledged the status says so; a second "Acknowledged" beside it adds nothing.
  if (acknowledgedAt) return null;
  const { text, overdue } = deadlineText(ackDeadline, acknowledgedAt, now);
  return <span className={overdue ? 'countdown overdue' : 'countdown'}>{text}</span>;
}
