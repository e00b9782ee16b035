// Which stretch of one segment runs within a distance r of another?
// The points within r of segment Q form a capsule (a rectangle with two half-discs): a
// convex set, so its intersection with segment P is a single interval of P's parameter.

export interface Segment {
  ax: number;
  ay: number;
  bx: number;
  by: number;
}

/** [t0, t1] ⊆ [0, 1] of P(t) = A + t(B − A) within r of segment q, or null. */
export function capsuleInterval(p: Segment, q: Segment, r: number): [number, number] | null {
  const parts = [slabInterval(p, q, r), discInterval(p, q.ax, q.ay, r), discInterval(p, q.bx, q.by, r)];
  let lo = Infinity;
  let hi = -Infinity;
  for (const part of parts) {
    if (!part) continue;
    lo = Math.min(lo, part[0]);
    hi = Math.max(hi, part[1]);
  }
  return lo <= hi ? [lo, hi] : null;
}

/** Part of P inside the rectangle 0 ≤ u ≤ |Q|, |v| ≤ r in Q's own frame (u along Q, v across). */
function slabInterval(p: Segment, q: Segment, r: number): [number, number] | null {
  const qx = q.bx - q.ax;
  const qy = q.by - q.ay;
  const len = Math.hypot(qx, qy);
  if (len === 0) return null;
  const [ux, uy] = [qx / len, qy / len];
  const u0 = (p.ax - q.ax) * ux + (p.ay - q.ay) * uy;
  const v0 = (p.ax - q.ax) * -uy + (p.ay - q.ay) * ux;
  const du = (p.bx - p.ax) * ux + (p.by - p.ay) * uy;
  const dv = (p.bx - p.ax) * -uy + (p.by - p.ay) * ux;
  return clipLinear(clipLinear([0, 1], u0, du, 0, len), v0, dv, -r, r);
}

/** Restricts interval t to where lo ≤ f0 + t·df ≤ hi. */
function clipLinear(t: [number, number] | null, f0: number, df: number, lo: number, hi: number): [number, number] | null {
  if (!t) return null;
  if (df === 0) return f0 >= lo && f0 <= hi ? t : null;
  const a = (lo - f0) / df;
  const b = (hi - f0) / df;
  const t0 = Math.max(t[0], Math.min(a, b));
  const t1 = Math.min(t[1], Math.max(a, b));
  return t0 <= t1 ? [t0, t1] : null;
}

/** Part of P inside the disc of radius r at (cx, cy): a quadratic inequality in t. */
function discInterval(p: Segment, cx: number, cy: number, r: number): [number, number] | null {
  const dx = p.bx - p.ax;
  const dy = p.by - p.ay;
  const wx = p.ax - cx;
  const wy = p.ay - cy;
  const a = dx * dx + dy * dy;
  const b = 2 * (wx * dx + wy * dy);
  const c = wx * wx + wy * wy - r * r;
  if (a === 0) return c <= 0 ? [0, 1] : null;
  const disc = b * b - 4 * a * c;
  if (disc < 0) return null;
  const s = Math.sqrt(disc);
  const t0 = Math.max(0, (-b - s) / (2 * a));
  const t1 = Math.min(1, (-b + s) / (2 * a));
  return t0 <= t1 ? [t0, t1] : null;
}
