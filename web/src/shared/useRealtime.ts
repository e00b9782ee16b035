import { useEffect, useRef, useState } from 'preact/hooks';
import type { ServerMessage } from './alerts.js';
import { createRealtime, type ConnectionState, type RealtimeController } from './realtime.js';

/**
 * One realtime connection for as long as the component is mounted and a token is known.
 * A new token (sign-in, new device credential) replaces the connection.
 */
export function useRealtime(token: string | null, onMessage: (message: ServerMessage) => void) {
  const [state, setState] = useState<ConnectionState>('idle');
  const [controller, setController] = useState<RealtimeController | null>(null);
  const handler = useRef(onMessage);
  handler.current = onMessage;

  useEffect(() => {
    if (!token) { setState('idle'); setController(null); return; }
    const rt = createRealtime({ token });
    const offState = rt.onState(setState);
    const offMessage = rt.onMessage((m) => handler.current(m));
    rt.start();
    setController(rt);
    return () => { offMessage(); offState(); rt.stop(); };
  }, [token]);

  return { state, controller };
}
