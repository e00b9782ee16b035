import { html } from 'htm/preact';
import { useEffect } from 'preact/hooks';
import { LangToggle } from '../shared/LangToggle.js';
import { useLang } from '../shared/useLang.js';
import { HelpLines } from './HelpLines.js';
import { NotesCard } from './NotesCard.js';
import { ReportForm } from './ReportForm.js';
import { Step } from './Step.js';
import { strings } from './strings.js';
import { useCallNotes } from './useCallNotes.js';
import { useReport } from './useReport.js';
import { useScamTypes } from './useScamTypes.js';
import { useVerify } from './useVerify.js';
import { Verify } from './Verify.js';

/**
 * "Me están llamando": the guided protocol during a suspicious call. Readable in seconds on a
 * phone: the first screen says what to do first; nothing needs the map, an account or a login.
 */
export function App() {
  const { lang, choose } = useLang();
  const t = strings[lang];
  const { notes, update, clear } = useCallNotes();
  const types = useScamTypes(lang);
  const verify = useVerify(lang);
  const report = useReport(lang);

  useEffect(() => { document.title = `${t.title} · Cuadrante`; }, [t]);

  const another = () => { clear(); report.reset(); };
  return html`
    <header class="top">
      <a class="brand" href="/"><span class="logo" aria-hidden="true"></span>Cuadrante</a>
      <${LangToggle} lang=${lang} onChange=${choose} />
    </header>
    <main class="coach">
      <div class="coach-intro">
        <h1>${t.title}</h1>
        <p class="lead">${t.lead}</p>
        <p class="danger">${t.danger} <a class="call call-911 inline" href="tel:911" data-testid="coach-911">${t.call911}</a></p>
      </div>
      <ol class="steps-list">
        <${Step} n=${1} lang=${lang} title=${t.s1.title} body=${t.s1.body} points=${t.s1.points}>
          <p><a href="/#familia" data-testid="code-word-link">${t.s1.codeWord}</a></p>
        <//>
        <${Step} n=${2} lang=${lang} title=${t.s2.title} body=${t.s2.body} points=${t.s2.points} />
        <${NotesCard} lang=${lang} notes=${notes} types=${types} onChange=${update} />
        <${Step} n=${3} lang=${lang} title=${t.s3.title} body=${t.s3.body}>
          <${Verify} lang=${lang} verify=${verify} />
        <//>
        <${Step} n=${4} lang=${lang} title=${t.s4.title} body=${t.s4.body} />
        <${Step} n=${5} lang=${lang} title=${t.s5.title} points=${t.s5.points} />
        <${Step} n=${6} lang=${lang} title=${t.s6.title} body=${t.s6.body} id="reportar">
          <${ReportForm} lang=${lang} notes=${notes} types=${types} state=${report.state}
            onChange=${update} onSubmit=${() => report.submit(notes)} onAnother=${another} />
          <p class="small">${t.alsoDenounce}</p>
          <${HelpLines} lang=${lang} with911 />
        <//>
      </ol>
      <p class="small back"><a href="/">← ${t.home}</a></p>
    </main>`;
}
