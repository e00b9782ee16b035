// Where the time went, from /proc (Linux): the server's CPU time (all threads), its main thread's
// time on a CPU and waiting in the run queue for one (schedstat: contention from other
// processes), this process's CPU time, and the whole machine's busy and iowait time. On a shared
// 2-core machine this tells "the server was slow" from "the server did not get a core" and from
// "the server's thread was blocked (e.g. fsync in a WAL checkpoint)". Null fields where /proc is missing.
import { readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ = 100

export interface Sample {
  at: number;
  /** Server process CPU time, all threads, ms. */
  serverCpuMs: number | null;
  /** Server main thread (the event loop): on a CPU, and runnable but waiting for one, ms. */
  mainOnCpuMs: number | null;
  mainRunqueueMs: number | null;
  /** This process (the load generator), ms. */
  benchCpuMs: number;
  /** All cores: busy (not idle, not iowait) and iowait, ms summed over cores. */
  machineBusyMs: number | null;
  machineIowaitMs: number | null;
}

/** The difference of two samples (`at`: the wall time between them, ms). */
export type Delta = Sample;

function read(path: string): string | null {
  try { return readFileSync(path, 'utf8'); } catch { return null; }
}

export function sample(serverPid: number): Sample {
  const stat = read(`/proc/${serverPid}/stat`);
  let serverCpuMs: number | null = null;
  if (stat) {
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    serverCpuMs = (Number(f[11]) + Number(f[12])) * TICK_MS;
  }
  const sched = read(`/proc/${serverPid}/task/${serverPid}/schedstat`)?.trim().split(/\s+/).map(Number);
  const cpu = read('/proc/stat')?.split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number);
  const u = process.cpuUsage();
  return {
    at: performance.now(),
    serverCpuMs,
    mainOnCpuMs: sched && sched.length >= 2 ? sched[0]! / 1e6 : null,
    mainRunqueueMs: sched && sched.length >= 2 ? sched[1]! / 1e6 : null,
    benchCpuMs: (u.user + u.system) / 1000,
    // user nice system idle iowait irq softirq steal
    machineBusyMs: cpu && cpu.length >= 8 ? (cpu[0]! + cpu[1]! + cpu[2]! + cpu[5]! + cpu[6]! + cpu[7]!) * TICK_MS : null,
    machineIowaitMs: cpu && cpu.length >= 5 ? cpu[4]! * TICK_MS : null,
  };
}

const sub = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a);

export function delta(a: Sample, b: Sample): Delta {
  return {
    at: b.at - a.at,
    serverCpuMs: sub(a.serverCpuMs, b.serverCpuMs),
    mainOnCpuMs: sub(a.mainOnCpuMs, b.mainOnCpuMs),
    mainRunqueueMs: sub(a.mainRunqueueMs, b.mainRunqueueMs),
    benchCpuMs: b.benchCpuMs - a.benchCpuMs,
    machineBusyMs: sub(a.machineBusyMs, b.machineBusyMs),
    machineIowaitMs: sub(a.machineIowaitMs, b.machineIowaitMs),
  };
}

const add = (a: number | null, b: number | null) => (a === null || b === null ? null : a + b);

export function sum(a: Delta, b: Delta): Delta {
  return {
    at: a.at + b.at,
    serverCpuMs: add(a.serverCpuMs, b.serverCpuMs),
    mainOnCpuMs: add(a.mainOnCpuMs, b.mainOnCpuMs),
    mainRunqueueMs: add(a.mainRunqueueMs, b.mainRunqueueMs),
    benchCpuMs: a.benchCpuMs + b.benchCpuMs,
    machineBusyMs: add(a.machineBusyMs, b.machineBusyMs),
    machineIowaitMs: add(a.machineIowaitMs, b.machineIowaitMs),
  };
}

export const zero = (): Delta => ({ at: 0, serverCpuMs: 0, mainOnCpuMs: 0, mainRunqueueMs: 0, benchCpuMs: 0, machineBusyMs: 0, machineIowaitMs: 0 });

/** Shares of the wall time `d.at` (1 = one core for the whole time). */
export function shares(d: Delta): {
  server: number | null; mainOnCpu: number | null; mainRunqueue: number | null; mainOff: number | null;
  bench: number; others: number | null; iowait: number | null;
} {
  const w = d.at;
  const s = (x: number | null) => (x === null || w <= 0 ? null : x / w);
  const mainOn = s(d.mainOnCpuMs);
  const mainRq = s(d.mainRunqueueMs);
  const others = d.machineBusyMs === null || d.serverCpuMs === null ? null : Math.max(0, (d.machineBusyMs - d.serverCpuMs - d.benchCpuMs) / w);
  return {
    server: s(d.serverCpuMs), mainOnCpu: mainOn, mainRunqueue: mainRq,
    mainOff: mainOn === null || mainRq === null ? null : Math.max(0, 1 - mainOn - mainRq),
    bench: d.benchCpuMs / w, others, iowait: s(d.machineIowaitMs),
  };
}
