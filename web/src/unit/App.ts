import { html } from 'htm/preact';
import { useMemo, useState } from 'preact/hooks';
import { logout } from '../shared/dispatchApi.js';
import { LangToggle } from '../shared/LangToggle.js';
import { saveStaffSession, staffSession, type StaffSession } from '../shared/session.js';
import { useLang } from '../shared/useLang.js';
import { usePublicConfig } from '../shared/usePublicConfig.js';
import { Desk } from './Desk.js';
import { Ringer } from './ringer.js';
import { SignIn } from './SignIn.js';
import { strings } from './strings.js';

/** A unit account's session; other staff sessions on this device are not used here. */
function unitSession(): StaffSession | null {
  const s = staffSession();
  return s && s.user.role === 'unit' && s.user.unitId ? s : null;
}

export function App() {
  const { lang, choose, adoptServerDefault } = useLang();
  const [session, setSession] = useState<StaffSession | null>(unitSession);
  const [notice, setNotice] = useState<string | null>(null);
  const config = usePublicConfig(lang, adoptServerDefault);
  const ringer = useMemo(() => new Ringer(), []);
  const t = strings[lang];

  const signedIn = (s: StaffSession) => {
    saveStaffSession(s);
    setNotice(null);
    setSession(s);
  };

  const signOut = (expired: boolean) => {
    if (!expired && session) void logout({ lang, token: session.token }).catch(() => undefined);
    saveStaffSession(null);
    setSession(null);
    setNotice(expired ? t.sessionEnded : null);
  };

  if (session) {
    return html`<${Desk} key=${session.token} session=${session} lang=${lang} onLang=${choose} config=${config} ringer=${ringer} onSignOut=${signOut} />`;
  }
  return html`
    <header class="top">
      <div class="brand"><span class="logo" aria-hidden="true"></span>Cuadrante · ${t.title}</div>
      <${LangToggle} lang=${lang} onChange=${choose} />
    </header>
    <main class="desk">
      <${SignIn} lang=${lang} notice=${notice} onSignedIn=${signedIn} onGesture=${() => ringer.unlock()} />
    </main>`;
}
