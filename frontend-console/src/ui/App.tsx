import { useEffect, useMemo, useState } from 'preact/hooks';
import { type Key, type Lang, translate } from '../i18n';
import { canUseConsole } from '../roles';
import { logout as revokeOnServer } from '../api';
import { clearSession, logOut, loadToken, saveToken } from '../session';
import { decodeJwt, tokenUsable } from '../util';
import { Console } from './Console';
import { Login } from './Login';

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
  if (token && tokenUsable(claims) && canUseConsole(claims!.groups)) return token;
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
    // the person chose to log out: the server revokes this tab's token too (best effort); a session
    // the server already ended (a reason) has nothing left to revoke
    if (reason) clearSession();
    else void logOut(token, (tk) => revokeOnServer('', tk));
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
