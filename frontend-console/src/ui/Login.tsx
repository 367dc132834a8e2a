import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, changePassword, login } from '../api';
import { checkNewPassword, errorsFor, localise } from '../forms';
import type { Key, Lang, T } from '../i18n';
import type { FieldError } from '../protocol';
import { canUseConsole } from '../roles';
import { decodeJwt, tokenUsable } from '../util';
import { focusFirstInvalid } from './fields';

type Step = { kind: 'login' } | { kind: 'new-password'; username: string; current: string };

export function Login(props: { t: T; lang: Lang; message: Key | null; onToggleLang: () => void; onToken: (token: string) => void }) {
  const { t } = props;
  const [step, setStep] = useState<Step>({ kind: 'login' });
  const [error, setError] = useState<string | null>(props.message ? t(props.message) : null);

  const accept = (token: string): boolean => {
    const claims = decodeJwt(token);
    if (!tokenUsable(claims)) {
      setError(t('idpInvalid'));
      return false;
    }
    if (!canUseConsole(claims!.groups)) {
      setError(t('notAgent'));
      return false;
    }
    props.onToken(token);
    return true;
  };

  return (
    <div class="login-page">
      <header class="login-header">
        <p class="brand" aria-hidden="true">
          Loket
        </p>
        <button type="button" class="link-button" lang={props.lang === 'nl' ? 'en' : 'nl'} aria-label={t('languageLabel')} onClick={props.onToggleLang}>
          {t('language')}
        </button>
      </header>
      <main id="main" class="login-main">
        {step.kind === 'login' ? (
          <LoginForm
            t={t}
            lang={props.lang}
            error={error}
            setError={setError}
            accept={accept}
            onPasswordChange={(username, current) => {
              setError(null);
              setStep({ kind: 'new-password', username, current });
            }}
          />
        ) : (
          <NewPasswordForm
            t={t}
            lang={props.lang}
            username={step.username}
            current={step.current}
            accept={accept}
            onBack={(message) => {
              setError(message);
              setStep({ kind: 'login' });
            }}
          />
        )}
      </main>
    </div>
  );
}

function LoginForm(props: {
  t: T;
  lang: Lang;
  error: string | null;
  setError(e: string | null): void;
  accept(token: string): boolean;
  onPasswordChange(username: string, current: string): void;
}) {
  const { t } = props;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [idpToken, setIdpToken] = useState('');

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    props.setError(null);
    try {
      const token = await login('', username.trim(), password, props.lang);
      props.accept(token);
    } catch (err) {
      if (err instanceof ApiError && err.status === 403 && err.code === 'password-change-required') {
        props.onPasswordChange(username.trim(), password);
        return;
      }
      props.setError(err instanceof ApiError ? err.message : t('loginFailed'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>{t('loginTitle')}</h1>
      {props.error && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      <form class="login-form" onSubmit={submit} aria-busy={busy}>
        <label for="login-username">{t('username')}</label>
        <input
          id="login-username"
          name="username"
          autocomplete="username"
          required
          value={username}
          onInput={(e) => setUsername((e.target as HTMLInputElement).value)}
        />
        <label for="login-password">{t('password')}</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
        />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('loggingIn') : t('login')}
        </button>
      </form>
      <details class="idp">
        <summary>{t('idpTitle')}</summary>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            props.accept(idpToken.trim());
          }}
        >
          <label for="login-token">{t('idpToken')}</label>
          <textarea id="login-token" rows={3} autocomplete="off" spellcheck={false} value={idpToken} onInput={(e) => setIdpToken((e.target as HTMLTextAreaElement).value)} />
          <button type="submit">{t('idpLogin')}</button>
        </form>
      </details>
    </>
  );
}

/** After a reset by an administrator: the temporary password only lets the user choose a new one. */
function NewPasswordForm(props: { t: T; lang: Lang; username: string; current: string; accept(token: string): boolean; onBack(message: string | null): void }) {
  const { t } = props;
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    const found = checkNewPassword(props.current, next, repeat, t);
    setErrors(found);
    setMessage(null);
    if (found.length) {
      focusFirstInvalid(e.currentTarget as HTMLFormElement);
      return;
    }
    setBusy(true);
    try {
      const token = await changePassword('', { username: props.username, currentPassword: props.current, newPassword: next }, props.lang);
      props.accept(token);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        props.onBack(t('passwordCurrentWrong'));
        return;
      }
      if (err instanceof ApiError && err.errors.length) {
        // the server names the field newPassword; show its reason there
        setErrors(localise(err.errors, props.lang));
      }
      setMessage(err instanceof Error ? err.message : t('loginFailed'));
      setBusy(false);
    }
  };

  const nextErrors = errorsFor(errors, 'newPassword');
  const repeatErrors = errorsFor(errors, 'repeat');
  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        {t('newPasswordTitle')}
      </h1>
      <p>{t('newPasswordIntro', { username: props.username })}</p>
      {message && (
        <p class="error" role="alert">
          {message}
        </p>
      )}
      <form class="login-form" onSubmit={submit} aria-busy={busy} noValidate>
        <input type="text" name="username" autocomplete="username" value={props.username} hidden readOnly />
        <label for="new-password">{t('newPassword')}</label>
        <input
          id="new-password"
          type="password"
          autocomplete="new-password"
          required
          minLength={10}
          value={next}
          aria-invalid={nextErrors.length ? true : undefined}
          aria-describedby={'new-password-hint' + (nextErrors.length ? ' new-password-error' : '')}
          onInput={(e) => setNext((e.target as HTMLInputElement).value)}
        />
        <p id="new-password-hint" class="hint small-text">
          {t('newPasswordHint')}
        </p>
        {nextErrors.length > 0 && (
          <p id="new-password-error" class="field-error">
            {nextErrors.join(' ')}
          </p>
        )}
        <label for="repeat-password">{t('repeatPassword')}</label>
        <input
          id="repeat-password"
          type="password"
          autocomplete="new-password"
          required
          value={repeat}
          aria-invalid={repeatErrors.length ? true : undefined}
          aria-describedby={repeatErrors.length ? 'repeat-password-error' : undefined}
          onInput={(e) => setRepeat((e.target as HTMLInputElement).value)}
        />
        {repeatErrors.length > 0 && (
          <p id="repeat-password-error" class="field-error">
            {repeatErrors.join(' ')}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t('setNewPassword')}
        </button>
      </form>
      <button type="button" class="link-button" onClick={() => props.onBack(null)}>
        {t('backToLogin')}
      </button>
    </>
  );
}
