/**
 * Drafts kept in this tab's sessionStorage while the person signs in again (docs/console.md,
 * "Drafts across a sign-in"): what they typed into a form, under their own `sub`, so a token
 * that ran out costs a round trip to the identity provider and not the text. Never a token,
 * never an answer from a service; gone when the tab closes, on sign-out and once the form is sent.
 */
const PREFIX = 'watchfloor.draft.';

const keyOf = (sub: string, form: string) => `${PREFIX}${sub}.${form}`;

/** The draft `sub` kept for `form`, if any (undefined when none, or when it cannot be read). */
export function keptDraft<T>(storage: Storage, sub: string, form: string): T | undefined {
  const stored = storage.getItem(keyOf(sub, form));
  if (stored === null) return undefined;
  try {
    return JSON.parse(stored) as T;
  } catch {
    storage.removeItem(keyOf(sub, form));
    return undefined;
  }
}

export function keepDraft(storage: Storage, sub: string, form: string, draft: unknown): void {
  try {
    storage.setItem(keyOf(sub, form), JSON.stringify(draft));
  } catch {
    // Storage full or refused (a private window's quota): the form works on, unkept.
  }
}

export function dropDraft(storage: Storage, sub: string, form: string): void {
  storage.removeItem(keyOf(sub, form));
}

/** Whether anything typed is kept in this tab (the sign-in page says so). */
export function hasKeptDrafts(storage: Storage): boolean {
  for (let i = 0; i < storage.length; i++) if (storage.key(i)?.startsWith(PREFIX)) return true;
  return false;
}

/** Signing out: every kept draft of this tab goes (the next person at this computer must not see them). */
export function dropAllDrafts(storage: Storage): void {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(PREFIX)) keys.push(key);
  }
  for (const key of keys) storage.removeItem(key);
}
