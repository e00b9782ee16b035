import { html } from 'htm/preact';
import { useEffect } from 'preact/hooks';
import { StaffLogin } from '../shared/StaffLogin.js';
import { TopBar } from '../shared/TopBar.js';
import { useLang } from '../shared/useLang.js';
import { usePublicConfig } from '../shared/usePublicConfig.js';
import { useStaffSession } from '../shared/useStaffSession.js';
import { Desk } from './Desk.js';
import { analystSession, isAnalyst } from './session.js';
import { strings } from './strings.js';

export function App() {
  const { lang, choose, adoptServerDefault } = useLang();
  const { session, expiredNotice, signedIn, signedOut, expired } = useStaffSession(analystSession);
  const t = strings[lang];
  usePublicConfig(lang, adoptServerDefault);

  useEffect(() => { document.title = `${t.title} · Cuadrante`; }, [t]);

  if (!session) {
    return html`
      <${TopBar} title=${t.title} lang=${lang} onLang=${choose} />
      <${StaffLogin} lang=${lang} strings=${t} allowed=${isAnalyst} submitClass="primary"
        notice=${expiredNotice ? t.sessionEnded : null} onSignedIn=${signedIn} />`;
  }
  return html`<${Desk} key=${session.token} session=${session} lang=${lang} onLang=${choose}
    onSignOut=${signedOut} onExpired=${expired} />`;
}
