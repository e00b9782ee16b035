import { html } from 'htm/preact';
import { useCallback, useState } from 'preact/hooks';
import { TopBar } from '../shared/TopBar.js';
import type { Lang } from '../shared/types.js';
import { useSessionApi } from '../shared/useSessionApi.js';
import { analystApi } from './api.js';
import { Campaigns } from './Campaigns.js';
import { CaseFile } from './CaseFile.js';
import { Disputes } from './Disputes.js';
import { NumberView } from './NumberView.js';
import { OpenNumber } from './OpenNumber.js';
import { Protected } from './Protected.js';
import { Queue } from './Queue.js';
import { TABS, useRoute, type Route } from './route.js';
import { Stats } from './Stats.js';
import { strings } from './strings.js';
import type { Session } from './types.js';
import type { ViewProps } from './viewProps.js';
import { useTypeLabels } from './useTypes.js';

interface Props { session: Session; lang: Lang; onLang: (l: Lang) => void; onSignOut: () => void; onExpired: () => void }

/** The signed-in desk: tabs and a number search on top, the current view, the case file beside it. */
export function Desk({ session, lang, onLang, onSignOut, onExpired }: Props) {
  const t = strings[lang];
  const api = useSessionApi(analystApi, session.token, lang, onExpired);
  const typeLabel = useTypeLabels(api, lang);
  const [route, go] = useRoute();
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const isAdmin = session.user.role === 'admin';

  const toggle = useCallback((n: string, on: boolean) => {
    setPicked((s) => {
      const next = new Set(s);
      if (on) next.add(n); else next.delete(n);
      return next;
    });
  }, []);
  const openNumber = useCallback((number: string) => go({ view: 'number', number }), [go]);

  const signOut = async () => {
    await api.signOut().catch(() => undefined);
    onSignOut();
  };

  const shared = { api, lang, typeLabel, onOpen: openNumber, picked, onPick: toggle };
  return html`
    <${TopBar} title=${t.title} lang=${lang} onLang=${onLang}>
      <span class="user" data-testid="user">${session.user.displayName ?? session.user.username}</span>
      <button type="button" class="top-button" data-testid="sign-out" onClick=${signOut}>${t.signOut}</button>
    <//>
    <nav class="tabs" aria-label=${t.title}>
      ${TABS.map((tab) => html`
        <a href="#" class="tab" data-testid=${`tab-${tab}`} aria-current=${route.view === tab ? 'page' : undefined}
          onClick=${(e: Event) => { e.preventDefault(); go({ view: tab }); }}>${t.tabs[tab]}</a>`)}
      <${OpenNumber} lang=${lang} onOpen=${openNumber} />
    </nav>
    <main class="desk">
      <div class="view">${view(route, shared, isAdmin, () => go({ view: 'queue' }))}</div>
      <${CaseFile} api=${api} lang=${lang} picked=${picked} onPick=${toggle} onClear=${() => setPicked(new Set())} onOpen=${openNumber} />
    </main>`;
}

type Shared = ViewProps;

function view(route: Route, shared: Shared, isAdmin: boolean, back: () => void) {
  switch (route.view) {
    case 'number': return html`<${NumberView} key=${route.number} number=${route.number} onBack=${back} ...${shared} />`;
    case 'disputes': return html`<${Disputes} ...${shared} />`;
    case 'protected': return html`<${Protected} ...${shared} isAdmin=${isAdmin} />`;
    case 'campaigns': return html`<${Campaigns} ...${shared} />`;
    case 'stats': return html`<${Stats} ...${shared} />`;
    default: return html`<${Queue} ...${shared} />`;
  }
}
