// Public face of the realtime adapter: the WebSocket hub and its close codes.
export { RealtimeHub, CLOSE_PASSWORD_CHANGE, CLOSE_SESSION_ENDED, type HubPorts } from './hub.js';
