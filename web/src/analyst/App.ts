import { html } from 'htm/preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { getPublicConfig } from '../shared/api.js';
import { useLang } from '../shared/useLang.js';
import { Desk } from './Desk.js';
import { Login } from './Login.js';
import { loadSession, saveSession } from './session.js';
import { strings } from './strings.js';
import { TopBar } from './TopBar.js';
import type { Session } from './types.js';

export function App() {
  const { lang, choose, adoptServerDefault } = useLang();
  const [session, setSession] = useState<Session | null>(loadSession);
  const [expiredNotice, setExpiredNotice] = useState(false);
  const t = strings[lang];

  useEffect(() => {
    getPublicConfig({ lang }).then((c) => adoptServerDefault(c.defaultLang), () => undefined);
  }, []);

  useEffect(() => { document.title = `${t.title} · Cuadrante`; }, [t]);

  const signedIn = useCallback((s: Session) => { saveSession(s); setExpiredNotice(false); setSession(s); }, []);
  const signedOut = useCallback(() => { saveSession(null); setSession(null); }, []);
  const expired = useCallback(() => { saveSession(null); setExpiredNotice(true); setSession(null); }, []);

  if (!session) {
    return html`
      <${TopBar} lang=${lang} onLang=${choose} />
      <${Login} lang=${lang} notice=${expiredNotice ? t.sessionEnded : null} onSignedIn=${signedIn} />`;
  }
  return html`<${Desk} key=${session.token} session=${session} lang=${lang} onLang=${choose}
    onSignOut=${signedOut} onExpired=${expired} />`;
}
