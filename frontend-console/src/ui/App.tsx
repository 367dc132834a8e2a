import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, login } from '../api';
import { type Key, type Lang, translate } from '../i18n';
import { clearSession, loadToken, saveToken } from '../session';
import { decodeJwt, hasRole, tokenUsable } from '../util';
import { Console } from './Console';

function initialLang(): Lang {
  try {
    const stored = localStorage.getItem('loket.console.lang');
    if (stored === 'en' || stored === 'nl') return stored;
  } catch {
    // no storage: Dutch
  }
  return 'nl';
}

function usableToken(): string | null {
  const token = loadToken();
  const claims = decodeJwt(token ?? '');
  if (token && tokenUsable(claims) && (hasRole(claims, 'agent') || hasRole(claims, 'supervisor'))) return token;
  if (token) clearSession();
  return null;
}

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [token, setToken] = useState<string | null>(usableToken);
  const [loginMessage, setLoginMessage] = useState<Key | null>(null);
  const t = useMemo(() => (key: Key, params?: Record<string, string | number>) => translate(lang, key, params), [lang]);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('appTitle');
    try {
      localStorage.setItem('loket.console.lang', lang);
    } catch {
      // fine
    }
  }, [lang]);

  const toggleLang = () => setLang(lang === 'nl' ? 'en' : 'nl');

  const logout = (reason?: Key) => {
    clearSession();
    setToken(null);
    setLoginMessage(reason ?? null);
  };

  if (!token) {
    return (
      <Login
        t={t}
        lang={lang}
        message={loginMessage}
        onToggleLang={toggleLang}
        onToken={(tk) => {
          saveToken(tk);
          setLoginMessage(null);
          setToken(tk);
        }}
      />
    );
  }
  return <Console key={token} token={token} t={t} lang={lang} onToggleLang={toggleLang} onLogout={logout} />;
}

function Login(props: {
  t: (k: Key, p?: Record<string, string | number>) => string;
  lang: Lang;
  message: Key | null;
  onToggleLang: () => void;
  onToken: (token: string) => void;
}) {
  const { t } = props;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(props.message ? t(props.message) : null);
  const [idpToken, setIdpToken] = useState('');

  const accept = (token: string): boolean => {
    const claims = decodeJwt(token);
    if (!tokenUsable(claims)) {
      setError(t('idpInvalid'));
      return false;
    }
    if (!hasRole(claims, 'agent') && !hasRole(claims, 'supervisor')) {
      setError(t('notAgent'));
      return false;
    }
    props.onToken(token);
    return true;
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const token = await login('', username.trim(), password, props.lang);
      accept(token);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('loginFailed'));
    } finally {
      setBusy(false);
    }
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
        <h1>{t('loginTitle')}</h1>
        {error && (
          <p class="error" role="alert">
            {error}
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
              accept(idpToken.trim());
            }}
          >
            <label for="login-token">{t('idpToken')}</label>
            <textarea id="login-token" rows={3} autocomplete="off" spellcheck={false} value={idpToken} onInput={(e) => setIdpToken((e.target as HTMLTextAreaElement).value)} />
            <button type="submit">{t('idpLogin')}</button>
          </form>
        </details>
      </main>
    </div>
  );
}
