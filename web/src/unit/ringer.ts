// The unit's phone rings for an unanswered page until someone takes it: a two-tone beep from a
// Web Audio oscillator and a vibration pattern, repeated. Browsers only let a page make sound
// after the person touched it, so `unlock()` is called from taps (sign-in, duty toggle, any
// touch); until then `audible` is false and the page says so.

const CYCLE_MS = 2000;
const TONES = [{ hz: 960, at: 0 }, { hz: 720, at: 0.3 }, { hz: 960, at: 0.6 }, { hz: 720, at: 0.9 }];
const TONE_S = 0.25;
const VIBRATION = [400, 150, 400, 150, 400];

/** What browser tests read: whether the loop runs and how many cycles it has played. */
export interface RingTestHook { active: boolean; cycles: number; audible: boolean }

declare global {
  interface Window { __cuadranteRing?: RingTestHook }
}

export class Ringer {
  private ctx: AudioContext | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly hook: RingTestHook;
  private listeners = new Set<() => void>();

  constructor() {
    window.__cuadranteRing ??= { active: false, cycles: 0, audible: false };
    this.hook = window.__cuadranteRing;
  }

  get ringing(): boolean { return this.timer !== null; }
  get audible(): boolean { return this.ctx?.state === 'running'; }

  /** Re-render hook for the "sound is off" notice. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Call from a user gesture: creates or resumes the audio context. */
  unlock(): void {
    try {
      this.ctx ??= new AudioContext();
      if (this.ctx.state !== 'running') void this.ctx.resume().then(() => this.changed(), () => undefined);
      this.ctx.onstatechange = () => this.changed();
    } catch {
      // No Web Audio: vibration and the on-screen banner still work.
    }
    this.changed();
  }

  start(): void {
    if (this.timer) return;
    this.cycle();
    this.timer = setInterval(() => this.cycle(), CYCLE_MS);
    this.hook.active = true;
    this.changed();
  }

  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
    this.hook.active = false;
    try { navigator.vibrate?.(0); } catch { /* unsupported */ }
    this.changed();
  }

  private cycle(): void {
    this.hook.cycles += 1;
    this.beep();
    try { navigator.vibrate?.(VIBRATION); } catch { /* unsupported or not yet allowed */ }
  }

  private beep(): void {
    const ctx = this.ctx;
    if (!ctx || ctx.state !== 'running') return;
    const start = ctx.currentTime + 0.02;
    for (const tone of TONES) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'square';
      osc.frequency.value = tone.hz;
      // Short ramps avoid clicks; square waves carry over street noise better than sines.
      gain.gain.setValueAtTime(0.0001, start + tone.at);
      gain.gain.exponentialRampToValueAtTime(0.3, start + tone.at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + tone.at + TONE_S);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start + tone.at);
      osc.stop(start + tone.at + TONE_S + 0.02);
    }
  }

  private changed(): void {
    this.hook.audible = this.audible;
    for (const l of [...this.listeners]) l();
  }
}
