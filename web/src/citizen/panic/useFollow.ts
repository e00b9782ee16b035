import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { isOpenStatus, type CitizenAlertView, type ServerMessage, type UnitApproach } from '../../shared/alerts.js';
import { ApiError } from '../../shared/api.js';
import { deviceToken } from '../../shared/device.js';
import { actOnAlert, getAlert } from '../../shared/dispatchApi.js';
import type { Lang } from '../../shared/types.js';
import { useRealtime } from '../../shared/useRealtime.js';
import { supersedes } from '../../shared/realtime.js';
import { activeAlertId, saveActiveAlertId } from './store.js';

// Follows the person's alert live: over the realtime socket while it is open, with a slow HTTP
// poll as a safety net while the socket is down (a proxy that blocks WebSockets must not leave
// someone staring at a stale "looking for a unit"). Survives a reload through the stored id.

const POLL_MS = 15_000;

/**
 * A late HTTP answer must not undo what the socket showed: the alert's version orders them (a
 * duress "cancel" is frozen at the version it was made at, above anything the phone saw before).
 */
const notOlder = (incoming: CitizenAlertView, known: CitizenAlertView | null): boolean =>
  !known || known.id !== incoming.id || supersedes(incoming, known);

export type CancelResult = { ok: true } | { ok: false; needPin: boolean; message: string };

/** Distance and ETA mean something only while the unit is on its way. */
const APPROACHING = new Set(['acknowledged', 'en_route']);

export function useFollow(lang: Lang) {
  const [alert, setAlertRaw] = useState<CitizenAlertView | null>(null);
  const setAlert = useCallback((next: CitizenAlertView | null) => {
    setAlertRaw((known) => (next === null || notOlder(next, known) ? next : known));
  }, []);
  const [offsetMs, setOffsetMs] = useState(0);
  const langRef = useRef(lang);
  langRef.current = lang;
  const current = useRef<CitizenAlertView | null>(null);
  current.current = alert;

  const refresh = useCallback(async (id: string) => {
    const token = deviceToken();
    if (!token) return;
    try {
      setAlert(await getAlert(id, { lang: langRef.current, token }));
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 401)) {
        saveActiveAlertId(null);
        setAlert(null);
      }
    }
  }, []);

  useEffect(() => {
    const id = activeAlertId();
    if (id) void refresh(id);
  }, [refresh]);

  const [approachRaw, setApproach] = useState<UnitApproach | null>(null);

  const onMessage = useCallback((message: ServerMessage) => {
    const mine = current.current;
    if (!mine) return;
    // The server reports only how far the unit assigned to this person's alert is (never where it
    // is); skip a report left from an earlier alert.
    if (message.type === 'unit-position' && message.alertId === mine.id && Number.isFinite(message.distanceM) && Number.isFinite(message.etaMin)) {
      const { alertId, distanceM, etaMin } = message;
      setApproach({ alertId, distanceM, etaMin });
    }
    if (message.type === 'alert' && message.alert.id === mine.id) setAlert(message.alert as CitizenAlertView);
    if (message.type === 'snapshot') {
      const fresh = message.alerts.find((a) => a.id === mine.id);
      // Absent from the snapshot of open alerts: it closed while we were away.
      if (fresh) setAlert(fresh as CitizenAlertView);
      else void refresh(mine.id);
    }
  }, [refresh]);

  const open = alert !== null && isOpenStatus(alert.status);
  const { state: connection } = useRealtime(open ? deviceToken() : null, onMessage);

  useEffect(() => {
    if (!open || connection === 'connected') return;
    const timer = setInterval(() => { if (current.current) void refresh(current.current.id); }, POLL_MS);
    return () => clearInterval(timer);
  }, [open, connection, refresh]);

  const follow = useCallback((view: CitizenAlertView, serverOffsetMs: number | null) => {
    saveActiveAlertId(view.id);
    if (serverOffsetMs !== null) setOffsetMs(serverOffsetMs);
    setAlert(view);
  }, []);

  const cancel = useCallback(async (pin?: string): Promise<CancelResult> => {
    const mine = current.current;
    const token = deviceToken();
    if (!mine || !token) return { ok: false, needPin: false, message: '' };
    try {
      setAlert(await actOnAlert<CitizenAlertView>(mine.id, { action: 'cancel', ...(pin ? { pin } : {}) }, { lang: langRef.current, token }));
      return { ok: true };
    } catch (err) {
      if (err instanceof ApiError) return { ok: false, needPin: err.code === 'WRONG_PIN', message: err.message };
      return { ok: false, needPin: false, message: '' };
    }
  }, []);

  const dismiss = useCallback(() => {
    saveActiveAlertId(null);
    setAlert(null);
  }, []);

  const approach = alert && approachRaw?.alertId === alert.id && APPROACHING.has(alert.status) ? approachRaw : null;

  return { alert, approach, offsetMs, connection, follow, cancel, dismiss };
}
