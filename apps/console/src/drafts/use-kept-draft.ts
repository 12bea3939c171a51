import { useCallback, useEffect, useRef, useState } from 'react';
import { useSignedIn } from '../session/session-context';
import { dropDraft, keepDraft, keptDraft } from './kept-drafts';

export interface KeptDraft<T> {
  value: T;
  /** Whether the value came back from this tab's storage (typed before a sign-in). */
  restored: boolean;
  /** Changes the value; from the first change on, it is kept. */
  update(change: (current: T) => T): void;
  /** Sent (or started over): the kept copy goes, and the form holds `next`, unkept until changed. */
  discard(next: T): void;
}

/** A form's state, kept in this tab across a sign-in once the person has typed something. */
export function useKeptDraft<T>(form: string, initial: () => T): KeptDraft<T> {
  const { claims } = useSignedIn();
  const sub = claims.sub;
  const [restored] = useState(() => keptDraft<T>(window.sessionStorage, sub, form));
  const [value, setValue] = useState<T>(() => restored ?? initial());
  const [wasRestored, setWasRestored] = useState(restored !== undefined);
  const kept = useRef(restored !== undefined);
  useEffect(() => {
    if (kept.current) keepDraft(window.sessionStorage, sub, form, value);
  }, [sub, form, value]);
  const update = useCallback((change: (current: T) => T) => {
    kept.current = true;
    setValue(change);
  }, []);
  const discard = useCallback(
    (next: T) => {
      kept.current = false;
      dropDraft(window.sessionStorage, sub, form);
      setWasRestored(false);
      setValue(next);
    },
    [sub, form],
  );
  return { value, restored: wasRestored, update, discard };
}
