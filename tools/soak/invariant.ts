/** One invariant and what the run found. */
export interface Invariant {
  name: string;
  /** What was checked, counted ("1,204 incidents"). */
  checked: number;
  /** How many broke it (0 when it holds). */
  broken: number;
  /** Examples of what broke it. */
  examples: string[];
}

export const invariant = (name: string, checked: number, broken: string[]): Invariant => ({ name, checked, broken: broken.length, examples: broken.slice(0, 5) });
