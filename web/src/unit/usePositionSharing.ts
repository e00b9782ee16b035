import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, request } from '../shared/api.js';
import type { IngestResult } from '../../../src/contracts/tracking.js';
import type { Lang, LatLon } from '../shared/types.js';
import { PositionSender, type GeoProblem, type PositionFix } from './positionSender.js';

// Shares the unit's position with the operations centre while — and only while — it is on duty.
// Going off duty, signing out or leaving the page stops the watch.

export type Sharing =
  | { state: 'off' }
  | { state: 'starting' }
  | { state: 'sharing'; accuracyM: number }
  | { state: 'problem'; problem: GeoProblem | 'unsupported' | 'refused' };

interface Options { active: boolean; unitId: string | null; token: string; lang: Lang; onSessionEnded: () => void }

export function usePositionSharing({ active, unitId, token, lang, onSessionEnded }: Options) {
  const [sharing, setSharing] = useState<Sharing>({ state: 'off' });
  const [latest, setLatest] = useState<LatLon | null>(null);
  const langRef = useRef(lang);
  langRef.current = lang;
  const ended = useRef(onSessionEnded);
  ended.current = onSessionEnded;

  useEffect(() => {
    if (!active || !unitId) { setSharing({ state: 'off' }); return; }
    if (!('geolocation' in navigator)) { setSharing({ state: 'problem', problem: 'unsupported' }); return; }
    setSharing({ state: 'starting' });
    const path = `/api/v1/units/${encodeURIComponent(unitId)}/positions`;
    const sender: PositionSender = new PositionSender({
      // The server drops implausible fixes ({accepted: 0, dropped: {…}}): never retried.
      send: async (fix: PositionFix) => {
        try {
          await request<IngestResult>('POST', path, fix, { lang: langRef.current, token });
        } catch (err) {
          if (err instanceof ApiError && err.status === 401) { sender.stop(); ended.current(); }
          else if (err instanceof ApiError && (err.status === 403 || err.status === 404)) {
            sender.stop();
            setSharing({ state: 'problem', problem: 'refused' });
          }
          throw err;
        }
      },
      onFix: (fix) => {
        setLatest({ lat: fix.lat, lon: fix.lon });
        setSharing({ state: 'sharing', accuracyM: fix.accuracyM });
      },
      onProblem: (problem) => setSharing({ state: 'problem', problem }),
    });
    sender.start();
    return () => sender.stop();
  }, [active, unitId, token]);

  return { sharing, latest };
}
