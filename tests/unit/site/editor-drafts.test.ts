/**
 * The editor's drafts in sessionStorage: kept per session and path with the version they were
 * edited from, listed after a reload, forgotten after a save, and harmless when storage is
 * missing, full or holds something broken.
 */
import { describe, expect, it } from 'vitest';
import { dropDraft, keepDraft, listDrafts, readDraft } from '../../../src/scripts/editor/drafts.ts';

/** A Storage in memory; `full` makes every write throw, as a quota error does. */
class MemoryStorage implements Storage {
  readonly #items = new Map<string, string>();
  full = false;
  get length(): number {
    return this.#items.size;
  }
  clear(): void {
    this.#items.clear();
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  setItem(key: string, value: string): void {
    if (this.full) throw new DOMException('quota', 'QuotaExceededError');
    this.#items.set(key, value);
  }
}

describe('editor drafts', () => {
  it('keeps a draft per session and path, lists and forgets it', () => {
    const storage = new MemoryStorage();
    keepDraft(storage, 's1', 'vweb/b.yaml', { content: 'b', version: 'v1' });
    keepDraft(storage, 's1', 'vweb/a.yaml', { content: 'a', version: 'v2' });
    keepDraft(storage, 's2', 'vweb/a.yaml', { content: 'other', version: 'v3' });
    storage.setItem('rollout-lab:theme', 'dark');
    expect(readDraft(storage, 's1', 'vweb/a.yaml')).toEqual({ content: 'a', version: 'v2' });
    expect(listDrafts(storage, 's1')).toEqual(['vweb/a.yaml', 'vweb/b.yaml']);
    dropDraft(storage, 's1', 'vweb/a.yaml');
    expect(readDraft(storage, 's1', 'vweb/a.yaml')).toBeUndefined();
    expect(listDrafts(storage, 's1')).toEqual(['vweb/b.yaml']);
    expect(readDraft(storage, 's2', 'vweb/a.yaml')?.content).toBe('other');
  });

  it('survives missing, full and broken storage', () => {
    expect(readDraft(undefined, 's', 'a')).toBeUndefined();
    expect(listDrafts(undefined, 's')).toEqual([]);
    keepDraft(undefined, 's', 'a', { content: 'x', version: 'v' });
    const storage = new MemoryStorage();
    storage.full = true;
    expect(() => keepDraft(storage, 's', 'a', { content: 'x', version: 'v' })).not.toThrow();
    storage.full = false;
    storage.setItem('rollout-lab:draft:s:broken.yaml', '{not json');
    storage.setItem('rollout-lab:draft:s:wrong.yaml', '{"content":1}');
    expect(readDraft(storage, 's', 'broken.yaml')).toBeUndefined();
    expect(readDraft(storage, 's', 'wrong.yaml')).toBeUndefined();
  });
});
