/** Wakes the sender when deliveries became due (after a commit), so it need not wait for its next poll. */
export class SenderWakeup {
  private listener: (() => void) | undefined;

  /** The sender registers itself. */
  onWake(listener: () => void): void {
    this.listener = listener;
  }

  wake(): void {
    this.listener?.();
  }
}
