// The server's time, as the console estimates it. Countdowns to escalation deadlines are
// computed against it, so a workstation whose clock is off still shows the right seconds.
//
// Each live alert change carries the server time it happened at (updatedAt) and reaches us a
// little later, so `updatedAt - receivedAt` is the clock offset minus the delivery delay. The
// largest recent sample is the best estimate.

const SAMPLES = 20;
const samples: number[] = [];
let offsetMs = 0;

export function sampleServerTime(serverIso: string, receivedAt = Date.now()): void {
  const at = Date.parse(serverIso);
  if (!Number.isFinite(at)) return;
  samples.push(at - receivedAt);
  if (samples.length > SAMPLES) samples.shift();
  offsetMs = Math.max(...samples);
}

export const serverNow = (): number => Date.now() + offsetMs;
