import { html } from 'htm/preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { getPublicConfig } from '../shared/api.js';
import type { PublicConfig } from '../shared/types.js';
import { useLang } from '../shared/useLang.js';
import { Console } from './Console.js';
import { Login } from './Login.js';
import { loadSession, saveSession } from './session.js';
import { strings } from './strings.js';
import { TopBar } from './TopBar.js';
import type { Session } from './types.js';

/** Used when the configuration cannot be fetched, so the map can still try to start. */
const FALLBACK_CONFIG: PublicConfig = {
  basemapStyleUrl: null,
  city: { name: 'Ciudad de México', center: { lat: 19.4326, lon: -99.1332 }, zoom: 10 },
  defaultLang: 'es',
};

export function App() {
  const { lang, choose, adoptServerDefault } = useLang();
  const [session, setSession] = useState<Session | null>(loadSession);
  const [notice, setNotice] = useState<string | null>(null);
  const [config, setConfig] = useState<PublicConfig | null>(null);
  const t = strings[lang];

  useEffect(() => {
    getPublicConfig({ lang }).then((c) => {
      adoptServerDefault(c.defaultLang);
      setConfig(c);
    }, () => setConfig(FALLBACK_CONFIG));
  }, []);

  useEffect(() => { document.title = `${t.title} · Cuadrante`; }, [t]);

  const signedIn = useCallback((s: Session) => { saveSession(s); setNotice(null); setSession(s); }, []);
  const signedOut = useCallback(() => { saveSession(null); setSession(null); }, []);
  const expired = useCallback(() => { saveSession(null); setNotice('expired'); setSession(null); }, []);

  if (!session) {
    return html`
      <${TopBar} lang=${lang} onLang=${choose} />
      <${Login} lang=${lang} notice=${notice ? t.sessionEnded : null} onSignedIn=${signedIn} />`;
  }
  return html`<${Console} key=${session.token} session=${session} config=${config} lang=${lang} onLang=${choose}
    onSignOut=${signedOut} onExpired=${expired} />`;
}
