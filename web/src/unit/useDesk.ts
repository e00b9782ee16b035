import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { AlertAction, Outcome, ServerMessage, StaffAlertView, Unit } from '../shared/alerts.js';
import { ApiError } from '../shared/api.js';
import { actOnAlert, listUnits, setShift } from '../shared/dispatchApi.js';
import { failureMessage } from '../shared/errors.js';
import type { StaffSession } from '../shared/session.js';
import type { Lang } from '../shared/types.js';
import { useRealtime } from '../shared/useRealtime.js';
import { remove, replaceAll, upsert, type AlertMap } from './alertList.js';

// Everything the signed-in unit works with: its own record (callsign, shift), the alerts paged
// to it — kept current by the realtime socket, whose snapshot after every reconnection replaces
// the list — and the actions it takes. A refused token anywhere signs the officer out.

export type ActResult = { ok: true } | { ok: false; message: string };

export function useDesk(session: StaffSession, lang: Lang, onSessionEnded: () => void) {
  const unitId = session.user.unitId;
  const [unit, setUnit] = useState<Unit | null>(null);
  const [alerts, setAlerts] = useState<AlertMap>(new Map());
  const langRef = useRef(lang);
  langRef.current = lang;
  const ended = useRef(onSessionEnded);
  ended.current = onSessionEnded;
  const opts = () => ({ lang: langRef.current, token: session.token });

  const failure = (err: unknown): string => {
    if (err instanceof ApiError && err.status === 401) ended.current();
    return failureMessage(err, langRef.current);
  };

  useEffect(() => {
    listUnits(opts()).then((units) => setUnit(units.find((u) => u.id === unitId) ?? null), failure);
  }, [session.token]);

  const onMessage = useCallback((m: ServerMessage) => {
    switch (m.type) {
      case 'snapshot': setAlerts((known) => replaceAll(known, m.alerts as StaffAlertView[])); break;
      case 'page': case 'alert': setAlerts((known) => upsert(known, m.alert as StaffAlertView)); break;
      case 'unit': if (m.unit.id === unitId) setUnit(m.unit); break;
      default: break;
    }
  }, [unitId]);

  const { state: connection } = useRealtime(session.token, onMessage);
  useEffect(() => { if (connection === 'unauthorized') ended.current(); }, [connection]);

  const setDuty = useCallback(async (onDuty: boolean): Promise<ActResult> => {
    if (!unitId) return { ok: false, message: '' };
    try {
      setUnit(await setShift(unitId, onDuty ? 'available' : 'off_duty', opts()));
      return { ok: true };
    } catch (err) {
      return { ok: false, message: failure(err) };
    }
  }, [unitId, session.token]);

  const act = useCallback(async (id: string, action: AlertAction, outcome?: Outcome): Promise<ActResult> => {
    try {
      const view = await actOnAlert<StaffAlertView>(id, { action, ...(outcome ? { outcome } : {}) }, opts());
      setAlerts((known) => upsert(known, view));
      return { ok: true };
    } catch (err) {
      return { ok: false, message: failure(err) };
    }
  }, [session.token]);

  const dismiss = useCallback((id: string) => setAlerts((known) => remove(known, id)), []);

  return { unitId, unit, alerts, connection, setDuty, act, dismiss };
}
