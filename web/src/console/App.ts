import { html } from 'htm/preact';
import { useEffect } from 'preact/hooks';
import { StaffLogin } from '../shared/StaffLogin.js';
import { TopBar } from '../shared/TopBar.js';
import { useLang } from '../shared/useLang.js';
import { FALLBACK_CONFIG, usePublicConfig } from '../shared/usePublicConfig.js';
import { useStaffSession } from '../shared/useStaffSession.js';
import { Console } from './Console.js';
import { consoleSession, isStaff } from './session.js';
import { strings } from './strings.js';

export function App() {
  const { lang, choose, adoptServerDefault } = useLang();
  const { session, expiredNotice, signedIn, signedOut, expired } = useStaffSession(consoleSession);
  const config = usePublicConfig(lang, adoptServerDefault, FALLBACK_CONFIG);
  const t = strings[lang];

  useEffect(() => { document.title = `${t.title} · Cuadrante`; }, [t]);

  if (!session) {
    return html`
      <${TopBar} title=${t.title} lang=${lang} onLang=${choose} />
      <${StaffLogin} lang=${lang} strings=${t} allowed=${isStaff}
        notice=${expiredNotice ? t.sessionEnded : null} onSignedIn=${signedIn} />`;
  }
  return html`<${Console} key=${session.token} session=${session} config=${config} lang=${lang} onLang=${choose}
    onSignOut=${signedOut} onExpired=${expired} />`;
}
