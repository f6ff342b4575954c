import { useEffect, useRef, useState } from 'preact/hooks';
import { type Credential, describeProblem, type Principal, problemDetail, whoAmI } from './api';
import { BrowserSession } from './browser-session';

export interface Notice {
  tone: 'info' | 'error';
  text: string;
}

interface SignInProps {
  /** Why the user is here: signed out, or a session that ended. */
  notice?: Notice;
  onSignedIn: (credential: Credential, principal: Principal) => void;
}

/** The first screen of a signed-out tab: email and password, or an API key. */
export function SignIn({ notice, onSignedIn }: SignInProps) {
  useEffect(() => {
    document.title = 'Sign in · Sightline';
  }, []);

  return (
    <main id="main" class="sign-in">
      <h1>Sign in to Sightline</h1>
      {notice !== undefined && (
        <p role={notice.tone === 'error' ? 'alert' : 'status'} class={`notice ${notice.tone}`}>
          {notice.text}
        </p>
      )}
      <PasswordForm onSignedIn={onSignedIn} />
      <ApiKeyForm onSignedIn={onSignedIn} />
    </main>
  );
}

type FormProps = Pick<SignInProps, 'onSignedIn'>;

/** Signs in with `credential`, or says why not; shared by both forms. */
async function signInWith(
  credential: Credential,
  onSignedIn: FormProps['onSignedIn'],
): Promise<string | undefined> {
  const answer = await whoAmI(credential);
  if ('principal' in answer) {
    onSignedIn(credential, answer.principal);
    return undefined;
  }
  return answer.refused;
}

function PasswordForm({ onSignedIn }: FormProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const input = useRef<HTMLInputElement>(null);

  // The first field of the screen has focus, so typing starts at once.
  useEffect(() => {
    input.current?.focus();
  }, []);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setRefusal(undefined);
    try {
      const answer = await BrowserSession.login(email.trim(), password);
      if ('session' in answer) {
        const refused = await signInWith({ kind: 'session', session: answer.session }, onSignedIn);
        if (refused === undefined) return;
        setRefusal(refused);
      } else {
        setRefusal(
          `That email and password were not accepted: ${await problemDetail(answer.refused)}`,
        );
      }
    } catch (error) {
      setRefusal(describeProblem(error));
    }
    setBusy(false);
    input.current?.focus();
  };

  return (
    <form class="sign-in-form" onSubmit={submit} aria-describedby="password-hint">
      <h2>With your email and password</h2>
      <label for="email">Email</label>
      <input
        id="email"
        ref={input}
        type="email"
        name="email"
        autoComplete="username"
        required
        value={email}
        onInput={(event) => setEmail(event.currentTarget.value)}
        aria-invalid={refusal !== undefined}
      />
      <label for="password">Password</label>
      <input
        id="password"
        type="password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onInput={(event) => setPassword(event.currentTarget.value)}
        aria-describedby={refusal === undefined ? undefined : 'password-refusal'}
        aria-invalid={refusal !== undefined}
      />
      <p id="password-hint" class="hint">
        The session lasts across reloads of this browser until you sign out.
      </p>
      {refusal !== undefined && (
        <p id="password-refusal" role="alert" class="problem">
          {refusal}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in with email'}
      </button>
    </form>
  );
}

function ApiKeyForm({ onSignedIn }: FormProps) {
  const [apiKey, setApiKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const input = useRef<HTMLInputElement>(null);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setRefusal(undefined);
    try {
      const refused = await signInWith({ kind: 'apiKey', apiKey: apiKey.trim() }, onSignedIn);
      if (refused === undefined) return;
      setRefusal(`That API key was not accepted: ${refused}`);
    } catch (error) {
      setRefusal(describeProblem(error));
    }
    setBusy(false);
    input.current?.focus();
  };

  return (
    <form class="sign-in-form" onSubmit={submit}>
      <h2>Or with an API key</h2>
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
        {busy ? 'Signing in…' : 'Sign in with API key'}
      </button>
    </form>
  );
}
