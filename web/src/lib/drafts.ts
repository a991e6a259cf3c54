/*
 * Drafts: what someone is typing (a note, a form, a YAML document) kept in
 * the browser's localStorage until it is sent, so that a failed request, a
 * reload or a server restart loses nothing. Keyed by host, scope and object;
 * cleared once the write succeeds; offered back when the form opens again.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

const PREFIX = 'light-runbook:draft:';

/** A kept draft: its value and when it was last typed. */
export interface Draft<T> {
  savedAt: string;
  value: T;
}

/** The storage key of a draft of `object` in `scope` of `host` (null: the default host). */
export function draftKey(host: string | null, scope: string, object: string): string {
  return `${PREFIX}${JSON.stringify([host ?? '', scope, object])}`;
}

/** The browser's storage, or null where it is unavailable (private modes, quotas). */
function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** Keeps `value` under `key`; a full or unavailable storage keeps nothing (the form still works). */
export function saveDraft<T>(key: string, value: T, now: Date = new Date()): void {
  try {
    storage()?.setItem(key, JSON.stringify({ savedAt: now.toISOString(), value } satisfies Draft<T>));
  } catch {
    // Nothing to do: the draft is only a safety net.
  }
}

/** The draft kept under `key`, or null (none, or unreadable). */
export function loadDraft<T>(key: string): Draft<T> | null {
  try {
    const text = storage()?.getItem(key);
    if (!text) return null;
    const parsed = JSON.parse(text) as Partial<Draft<T>>;
    return typeof parsed.savedAt === 'string' && 'value' in parsed ? (parsed as Draft<T>) : null;
  } catch {
    return null;
  }
}

/** Forgets the draft under `key`. */
export function clearDraft(key: string): void {
  try {
    storage()?.removeItem(key);
  } catch {
    // As above.
  }
}

/**
 * A draft of one thing being typed: `offered` is the draft found when the
 * component opened (until restored or discarded); `keep` saves the current
 * value (or forgets it when `unchanged`), `clear` forgets it after a send.
 */
export function useDraft<T>(key: string) {
  const [offered, setOffered] = useState<Draft<T> | null>(() => loadDraft<T>(key));
  const keyRef = useRef(key);
  useEffect(() => {
    if (keyRef.current !== key) {
      keyRef.current = key;
      setOffered(loadDraft<T>(key));
    }
  }, [key]);
  const keep = useCallback(
    (value: T, unchanged: boolean) => {
      // While a kept draft is offered, typing anew must not overwrite it unseen.
      if (offered) return;
      if (unchanged) clearDraft(key);
      else saveDraft(key, value);
    },
    [key, offered],
  );
  const clear = useCallback(() => {
    clearDraft(key);
    setOffered(null);
  }, [key]);
  const dismiss = useCallback(() => setOffered(null), []);
  return { offered, keep, clear, dismiss };
}
