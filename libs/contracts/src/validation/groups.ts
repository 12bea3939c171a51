/**
 * class-validator group of rules that compare with the validating machine's clock
 * ("not in the future"). They guard HTTP input only: an event that was valid when it was
 * published must stay valid on a consumer whose clock lags, or it would be dead-lettered.
 */
export const CLOCK_RULES = 'clock';

/** Group requested when validating recorded data (events): every ungrouped rule, no clock rule. */
export const RECORDED_DATA = 'recorded';
