// Celestial coordinates from intermediate world coordinates for the zenithal TAN and SIN projections
// (Calabretta & Greisen 2002, A&A 395, 1077, "Paper II"). Hand-written because the two projections
// plus the spherical rotation are a page of formulas and the npm WCS packages wrap wcslib in WASM.
//
//   (x, y) → native (φ, θ):  R_θ = √(x² + y²), φ = arg(−y, x)                     (§5.1, eqs. 14–15)
//     TAN (§5.1.3, eq. 55):  θ = atan(180°/(π R_θ))
//     SIN (§5.1.5, eq. 58, ξ = η = 0): θ = acos(π R_θ/180°)
//   native → celestial (§2.3, eq. 2):
//     α = α_p + arg(sin θ cos δ_p − cos θ sin δ_p cos(φ − φ_p), −cos θ sin(φ − φ_p))
//     δ = asin(sin θ sin δ_p + cos θ cos δ_p cos(φ − φ_p))
//   For zenithal projections the reference point is the native pole (θ_0 = 90°), so (α_p, δ_p) =
//   (CRVAL_lng, CRVAL_lat); φ_p = LONPOLE, default 180° unless δ_0 ≥ θ_0, then 0° (§2.4). LATPOLE only
//   chooses between two poles when θ_0 ≠ 90°, so it has no effect here.
// arg(x, y) is the angle of the point (x, y), i.e. atan2(y, x). Longitudes are returned in [0°, 360°).
// SIN with PV2_1/PV2_2 ≠ 0 (the slant orthographic generalisation) is refused, not approximated.
//
// API:
//   type ZenithalProjection = 'TAN' | 'SIN'
//   interface CelestialFrame { projection; lng0: number; lat0: number; lonpole: number }
//   celestialFromIntermediate(frame: CelestialFrame, x: number, y: number): [lng: number, lat: number]
//   intermediateFromCelestial(frame: CelestialFrame, lng: number, lat: number): [x: number, y: number]
//     the inverse (§2.3 eq. 5; §5.1 eqs. 12–13, x = R_θ sin φ, y = −R_θ cos φ): NaN where the point
//     cannot be projected (TAN: θ ≤ 0; SIN: the far hemisphere, θ < 0)
//   defaultLonpole(lat0: number): number

export type ZenithalProjection = 'TAN' | 'SIN';

export interface CelestialFrame {
  projection: ZenithalProjection;
  /** CRVAL of the longitude axis (α_0 = α_p), degrees. */
  lng0: number;
  /** CRVAL of the latitude axis (δ_0 = δ_p), degrees. */
  lat0: number;
  /** φ_p, degrees. */
  lonpole: number;
}

const D2R = Math.PI / 180;
const R2D = 180 / Math.PI;

export function defaultLonpole(lat0: number): number {
  return lat0 >= 90 ? 0 : 180;
}

function nativeSpherical(projection: ZenithalProjection, x: number, y: number): [phi: number, theta: number] {
  const r = Math.hypot(x, y);
  const phi = r === 0 ? 0 : Math.atan2(x, -y) * R2D;
  if (projection === 'TAN') return [phi, r === 0 ? 90 : Math.atan2(180, Math.PI * r) * R2D];
  const cosTheta = (Math.PI * r) / 180;
  if (cosTheta > 1 + 1e-13) return [NaN, NaN];
  return [phi, Math.acos(Math.min(cosTheta, 1)) * R2D];
}

export function celestialFromIntermediate(frame: CelestialFrame, x: number, y: number): [number, number] {
  const [phi, theta] = nativeSpherical(frame.projection, x, y);
  if (Number.isNaN(phi)) return [NaN, NaN];
  const dphi = (phi - frame.lonpole) * D2R;
  const t = theta * D2R;
  const dp = frame.lat0 * D2R;
  const sinT = Math.sin(t);
  const cosT = Math.cos(t);
  const sinDp = Math.sin(dp);
  const cosDp = Math.cos(dp);
  // The celestial direction's components along α_p's meridian, across it, and along the pole.
  const along = sinT * cosDp - cosT * sinDp * Math.cos(dphi);
  const across = -cosT * Math.sin(dphi);
  const up = sinT * sinDp + cosT * cosDp * Math.cos(dphi);
  const lng = frame.lng0 + Math.atan2(across, along) * R2D;
  // atan2 rather than asin keeps full precision near the poles.
  const lat = Math.atan2(up, Math.hypot(along, across)) * R2D;
  const wrapped = ((lng % 360) + 360) % 360;
  return [wrapped, lat];
}

export function intermediateFromCelestial(frame: CelestialFrame, lng: number, lat: number): [number, number] {
  const dlng = (lng - frame.lng0) * D2R;
  const d = lat * D2R;
  const dp = frame.lat0 * D2R;
  const along = Math.sin(d) * Math.cos(dp) - Math.cos(d) * Math.sin(dp) * Math.cos(dlng);
  const across = -Math.cos(d) * Math.sin(dlng);
  const up = Math.sin(d) * Math.sin(dp) + Math.cos(d) * Math.cos(dp) * Math.cos(dlng);
  const phi = frame.lonpole * D2R + Math.atan2(across, along);
  const theta = Math.atan2(up, Math.hypot(along, across));
  if (frame.projection === 'TAN' ? theta <= 0 : theta < 0) return [NaN, NaN];
  const r = frame.projection === 'TAN' ? (R2D * Math.cos(theta)) / Math.sin(theta) : R2D * Math.cos(theta);
  return [r * Math.sin(phi), -r * Math.cos(phi)];
}
