// Directions about a cone's axis on the Galactic sphere, shared by the field sampler (stars in a cone
// region) and the training clusters' placement in a cone (simulate/cluster-placement.ts).
const DEG = Math.PI / 180;

export class ConeFrame {
  /** Axis unit vector (a), and unit vectors towards +b (n) and +l (e) at the axis. */
  private readonly basis: readonly [number, number, number, number, number, number, number, number];

  constructor(lDeg: number, bDeg: number) {
    const l0 = lDeg * DEG;
    const b0 = bDeg * DEG;
    this.basis = [
      Math.cos(b0) * Math.cos(l0),
      Math.cos(b0) * Math.sin(l0),
      Math.sin(b0),
      -Math.sin(b0) * Math.cos(l0),
      -Math.sin(b0) * Math.sin(l0),
      Math.cos(b0),
      -Math.sin(l0),
      Math.cos(l0),
    ];
  }

  /** Writes into `out` the (l, b) in degrees at angle θ (cos θ given) from the axis and position angle φ
   * (radians, from +b towards +l). */
  toGalactic(cosTheta: number, phi: number, out: { lDeg: number; bDeg: number }): void {
    const sinTheta = Math.sqrt(Math.max(0, 1 - cosTheta * cosTheta));
    const [ax, ay, az, nx, ny, nz, ex, ey] = this.basis;
    const x = cosTheta * ax + sinTheta * (Math.cos(phi) * nx + Math.sin(phi) * ex);
    const y = cosTheta * ay + sinTheta * (Math.cos(phi) * ny + Math.sin(phi) * ey);
    const z = cosTheta * az + sinTheta * Math.cos(phi) * nz;
    let l = Math.atan2(y, x) / DEG;
    if (l < 0) l += 360;
    out.lDeg = l;
    out.bDeg = Math.asin(Math.max(-1, Math.min(1, z))) / DEG;
  }
}
