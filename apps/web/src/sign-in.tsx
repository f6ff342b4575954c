import { useEffect, useRef, useState } from 'preact/hooks';
import { type Credential, describeProblem, type Principal, whoAmI } from './api';

export interface Notice {
  tone: 'info' | 'error';
  text: string;
}

interface SignInProps {
  /** Why the user is here: signed out, or a session that ended. */
  notice?: Notice;
  onSignedIn: (credential: Credential, principal: Principal) => void;
}

/** The first screen of a signed-out tab. */
export function SignIn({ notice, onSignedIn }: SignInProps) {
  const [apiKey, setApiKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = 'Sign in · Sightline';
    input.current?.focus();
  }, []);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const credential: Credential = { kind: 'apiKey', apiKey: apiKey.trim() };
    setBusy(true);
    setRefusal(undefined);
    try {
      const answer = await whoAmI(credential);
      if ('principal' in answer) {
        onSignedIn(credential, answer.principal);
        return;
      }
      setRefusal(`That API key was not accepted: ${answer.refused}`);
    } catch (error) {
      setRefusal(describeProblem(error));
    }
    setBusy(false);
    input.current?.focus();
  };

  return (
    <main id="main" class="sign-in">
      <h1>Sign in to Sightline</h1>
      {notice !== undefined && (
        <p role={notice.tone === 'error' ? 'alert' : 'status'} class={`notice ${notice.tone}`}>
          {notice.text}
        </p>
      )}
      {/*
        Email and password sign-in goes here, above the API key (issue 23: POST /v1/auth/login,
        the access token in memory, the refresh token in an HttpOnly cookie with a CSRF token).
        It is being built separately; it adds its kind to `Credential` in api.ts.
      */}
      <form class="sign-in-form" onSubmit={submit}>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          ref={input}
          type="password"
          name="api-key"
          autoComplete="off"
          spellcheck={false}
          required
          value={apiKey}
          onInput={(event) => setApiKey(event.currentTarget.value)}
          aria-describedby={refusal === undefined ? 'api-key-hint' : 'api-key-hint api-key-refusal'}
          aria-invalid={refusal !== undefined}
        />
        <p id="api-key-hint" class="hint">
          Paste an API key of your organization. It stays in this tab only (session storage) and is
          forgotten when the tab closes or you sign out.
        </p>
        {refusal !== undefined && (
          <p id="api-key-refusal" role="alert" class="problem">
            {refusal}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
