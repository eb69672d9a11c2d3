// First sign-in: the person proves the password an administrator gave them,
// adds the hub's secret to an authenticator app, chooses their own password,
// and keeps the recovery codes. The hub signs them in at the end.
import { useEffect, useState } from 'preact/hooks';
import { renderSVG } from 'uqr';
import { call, setCsrfToken } from '../api/client';
import { ApiError, fieldErrors, unplacedErrors } from '../api/problem';
import type { Login, SessionUser } from '../api/types';
import { Banner, Field } from '../components/ui';
import { groupedSecret, newPasswordErrors, normalisedCode, recoveryCodesText } from '../lib/enrolment';

interface Secret {
  secret: string;
  otpauth_uri: string;
}

interface Enrolled extends Login {
  recovery_codes: string[];
}

interface Props {
  email: string;
  password: string;
  // Whether the hub already said this account needs an authenticator, so the
  // secret can be asked for at once.
  startAtOnce: boolean;
  onSignedIn: (u: SessionUser) => void;
  onCancel: () => void;
}

function errorsOf(err: unknown): Record<string, string> {
  return err instanceof ApiError ? fieldErrors(err.problem) : { '': String(err) };
}

export function EnrolPage(props: Props) {
  const [email, setEmail] = useState(props.email);
  const [password, setPassword] = useState(props.password);
  const [secret, setSecret] = useState<Secret | null>(null);
  const [code, setCode] = useState('');
  const [chosen, setChosen] = useState('');
  const [repeated, setRepeated] = useState('');
  const [enrolled, setEnrolled] = useState<Enrolled | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const begin = async (e?: Event) => {
    e?.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      setSecret(await call<Secret>('/api/v1/session/enrolment', { method: 'POST', body: { email, password } }));
    } catch (err) {
      setErrors(errorsOf(err));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (props.startAtOnce && email && password) void begin();
  }, []);

  const confirm = async (e: Event) => {
    e.preventDefault();
    const local = newPasswordErrors(password, chosen, repeated);
    if (Object.keys(local).length > 0) {
      setErrors(local);
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      const body = { email, password, totp_code: normalisedCode(code), new_password: chosen };
      const done = await call<Enrolled>('/api/v1/session/enrolment/confirm', { method: 'POST', body });
      setCsrfToken(done.csrf_token);
      setEnrolled(done);
    } catch (err) {
      setErrors(errorsOf(err));
    } finally {
      setBusy(false);
    }
  };

  if (enrolled) {
    const text = recoveryCodesText(email, enrolled.recovery_codes, new Date());
    const href = `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`;
    return (
      <main id="main" class="login">
        <h1>Keep your recovery codes</h1>
        <p>Your authenticator is active and your new password is set. If you lose the authenticator, each of these
          codes signs you in once in its place. They are shown only now: print them or keep them offline.</p>
        <ol class="recovery-codes" aria-label="Recovery codes">
          {enrolled.recovery_codes.map((c) => <li><code>{c}</code></li>)}
        </ol>
        <p><a href={href} download="liaison-recovery-codes.txt">Download the codes as a text file</a></p>
        <button type="button" class="primary" onClick={() => props.onSignedIn(enrolled.user)}>
          I have kept them: continue
        </button>
      </main>
    );
  }

  if (!secret) {
    return (
      <main id="main" class="login">
        <h1>Set up your authenticator</h1>
        <p class="lede">Signing in to Liaison takes your password and a code from an authenticator app. Start with the
          e-mail address and the password your administrator gave you.</p>
        <form onSubmit={begin} noValidate aria-label="Start enrolment">
          <Banner messages={unplacedErrors(errors, ['email', 'password'])} />
          <Field label="E-mail address" error={errors['email']}>
            {(p) => <input {...p} type="email" name="email" autoComplete="username" required value={email}
              onInput={(e) => setEmail(e.currentTarget.value)} />}
          </Field>
          <Field label="Password" error={errors['password']}>
            {(p) => <input {...p} type="password" name="password" autoComplete="current-password" required value={password}
              onInput={(e) => setPassword(e.currentTarget.value)} />}
          </Field>
          <button type="submit" class="primary" disabled={busy}>{busy ? 'Checking…' : 'Continue'}</button>
          <button type="button" class="link" onClick={props.onCancel}>Back to sign-in</button>
        </form>
      </main>
    );
  }

  const placed = ['totp_code', 'new_password', 'repeat_password'];
  return (
    <main id="main" class="login">
      <h1>Set up your authenticator</h1>
      <ol class="steps">
        <li>
          <p>Scan this code with your authenticator app, or type the key into it.</p>
          <figure class="qr" role="img" aria-label="QR code of the authenticator key"
            dangerouslySetInnerHTML={{ __html: renderSVG(secret.otpauth_uri, { border: 2, pixelSize: 4 }) }} />
          <p>Key: <code class="wrap" data-testid="totp-secret">{groupedSecret(secret.secret)}</code></p>
        </li>
        <li><p>Enter the code the app shows, and choose your own password.</p></li>
      </ol>
      <form onSubmit={confirm} noValidate aria-label="Confirm enrolment">
        <Banner messages={unplacedErrors(errors, placed)} />
        <Field label="Authenticator code" error={errors['totp_code']} hint="Six digits from your authenticator app.">
          {(p) => <input {...p} name="code" autoComplete="one-time-code" inputMode="numeric" required value={code}
            onInput={(e) => setCode(e.currentTarget.value)} />}
        </Field>
        <Field label="New password" error={errors['new_password']}
          hint="At least 12 characters. Your administrator knows the first one, so it stops working now.">
          {(p) => <input {...p} type="password" name="new_password" autoComplete="new-password" required value={chosen}
            onInput={(e) => setChosen(e.currentTarget.value)} />}
        </Field>
        <Field label="New password again" error={errors['repeat_password']}>
          {(p) => <input {...p} type="password" name="repeat_password" autoComplete="new-password" required value={repeated}
            onInput={(e) => setRepeated(e.currentTarget.value)} />}
        </Field>
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Activating…' : 'Activate and sign in'}</button>
      </form>
    </main>
  );
}
