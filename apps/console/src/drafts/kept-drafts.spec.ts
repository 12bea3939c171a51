import { dropAllDrafts, dropDraft, hasKeptDrafts, keepDraft, keptDraft } from './kept-drafts';

/** A Storage over a Map, as the browser's sessionStorage behaves. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    key: (index) => [...items.keys()][index] ?? null,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
  };
}

describe('kept drafts', () => {
  it('keeps a draft per person and form, and gives it back', () => {
    const storage = memoryStorage();
    keepDraft(storage, 'official-1', 'report', { title: 'Phishing' });
    expect(keptDraft(storage, 'official-1', 'report')).toEqual({ title: 'Phishing' });
    expect(keptDraft(storage, 'official-2', 'report')).toBeUndefined();
    expect(keptDraft(storage, 'official-1', 'update.42')).toBeUndefined();
    expect(hasKeptDrafts(storage)).toBe(true);
  });

  it('drops one draft once sent, and all of them on sign-out, leaving other keys alone', () => {
    const storage = memoryStorage();
    storage.setItem('watchfloor.oidc.signedIn', 'true');
    keepDraft(storage, 'official-1', 'report', { title: 'a' });
    keepDraft(storage, 'official-1', 'update.42', { note: 'b' });
    dropDraft(storage, 'official-1', 'report');
    expect(keptDraft(storage, 'official-1', 'report')).toBeUndefined();
    expect(keptDraft(storage, 'official-1', 'update.42')).toEqual({ note: 'b' });
    dropAllDrafts(storage);
    expect(hasKeptDrafts(storage)).toBe(false);
    expect(storage.getItem('watchfloor.oidc.signedIn')).toBe('true');
  });

  it('forgets a draft it cannot read', () => {
    const storage = memoryStorage();
    storage.setItem('watchfloor.draft.official-1.report', '{not json');
    expect(keptDraft(storage, 'official-1', 'report')).toBeUndefined();
    expect(storage.length).toBe(0);
  });
});
