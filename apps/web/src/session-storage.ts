import type { Credential } from './api';

/** Session storage only: the key lives as long as the tab, never on disk across sessions. */
const API_KEY_ITEM = 'sightline.apiKey';

export function savedCredential(): Credential | undefined {
  const apiKey = readItem();
  return apiKey === null || apiKey === '' ? undefined : { kind: 'apiKey', apiKey };
}

export function saveCredential(credential: Credential): void {
  // A session's access token stays in memory; its refresh cookie restores it after a reload.
  if (credential.kind !== 'apiKey') return;
  try {
    sessionStorage.setItem(API_KEY_ITEM, credential.apiKey);
  } catch {
    // Storage refused (a private window's quota): the session lasts until this page reloads.
  }
}

export function forgetCredential(): void {
  try {
    sessionStorage.removeItem(API_KEY_ITEM);
  } catch {
    // Nothing was stored.
  }
}

function readItem(): string | null {
  try {
    return sessionStorage.getItem(API_KEY_ITEM);
  } catch {
    return null;
  }
}
