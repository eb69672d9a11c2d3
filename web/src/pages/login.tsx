// Sign-in: e-mail, password and the authenticator's current code, or one
// of the recovery codes.
import { useState } from 'preact/hooks';
import { call, setCsrfToken } from '../api/client';
import { ApiError, fieldErrors, unplacedErrors } from '../api/problem';
import type { Login, SessionUser } from '../api/types';
import { Banner, Field } from '../components/ui';
import { EnrolPage } from './enrol';

export function LoginPage({ onSignedIn, notice }: { onSignedIn: (u: SessionUser) => void; notice?: string | null }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  // null: signing in; otherwise enrolling, at once when the hub asked for it.
  const [enrolling, setEnrolling] = useState<{ atOnce: boolean } | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const body = useRecovery ? { email, password, recovery_code: code } : { email, password, totp_code: code };
      const login = await call<Login>('/api/v1/session', { method: 'POST', body });
      setCsrfToken(login.csrf_token);
      onSignedIn(login.user);
    } catch (err) {
      if (err instanceof ApiError && err.kind === 'enrolment-required') {
        setEnrolling({ atOnce: true });
        return;
      }
      setErrors(err instanceof ApiError ? fieldErrors(err.problem) : { '': String(err) });
    } finally {
      setBusy(false);
    }
  };

  if (enrolling) {
    return <EnrolPage email={email} password={password} startAtOnce={enrolling.atOnce} onSignedIn={onSignedIn}
      onCancel={() => { setEnrolling(null); setErrors({}); }} />;
  }

  const codeField = useRecovery ? 'recovery_code' : 'totp_code';
  return (
    <main id="main" class="login">
      <h1>Liaison</h1>
      <p class="lede">The channel between criminal-justice authorities and service providers.</p>
      {notice && <p class="verdict warn" role="status">{notice}</p>}
      <form onSubmit={submit} noValidate aria-label="Sign in">
        <Banner messages={unplacedErrors(errors, ['email', 'password', codeField])} />
        <Field label="E-mail address" error={errors['email']}>
          {(p) => <input {...p} type="email" name="email" autoComplete="username" required value={email}
            onInput={(e) => setEmail(e.currentTarget.value)} />}
        </Field>
        <Field label="Password" error={errors['password']}>
          {(p) => <input {...p} type="password" name="password" autoComplete="current-password" required value={password}
            onInput={(e) => setPassword(e.currentTarget.value)} />}
        </Field>
        <Field label={useRecovery ? 'Recovery code' : 'Authenticator code'} error={errors[codeField]}
          hint={useRecovery ? 'One of the ten codes you kept when you enrolled; each works once.' : 'Six digits from your authenticator app.'}>
          {(p) => <input {...p} name="code" autoComplete="one-time-code" inputMode={useRecovery ? 'text' : 'numeric'}
            required value={code} onInput={(e) => setCode(e.currentTarget.value)} />}
        </Field>
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
        <button type="button" class="link" onClick={() => { setUseRecovery(!useRecovery); setCode(''); }}>
          {useRecovery ? 'Use the authenticator instead' : 'Use a recovery code instead'}
        </button>
        <p class="hint">First sign-in, or your authenticator was reset?{' '}
          <button type="button" class="link" onClick={() => { setErrors({}); setEnrolling({ atOnce: false }); }}>
            Set up your authenticator
          </button>
        </p>
      </form>
    </main>
  );
}
