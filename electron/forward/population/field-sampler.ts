// Draws field stars in a cone (or the whole sky) out to a distance and down to a magnitude limit, in the
// way Galaxia does (Sharma et al. 2011 Sect. 3): the region is cut into cells (equal-area sky cells ×
// distance shells), each cell's expected number of *possibly visible* stars is the component's number
// density × cell volume × the IMF fraction above the lowest mass that could reach the limit at that
// distance, and stars are drawn cell by cell from those weights. The lowest visible mass comes from the
// component's brightest absolute magnitude at each mass (over its ages and metallicities, no dust,
// `BRIGHTNESS_MARGIN` for binaries and noise), so no visible star is lost and few invisible ones are made.
// Masses are drawn only up to the highest mass still alive at some age of the component (`ALIVE_MARGIN`
// above the last living grid mass), since a dead star is never seen: for the old thick disc and halo,
// where everything above ~1 M☉ is gone, this halves the candidates without changing the distribution.
import { type Imf, STELLAR_MASS_MAX, STELLAR_MASS_MIN } from './imf.ts';
import { ConeFrame } from './cone-frame.ts';
import { toGalactocentric } from './frame.ts';
import type { Random } from '../simulate/random.ts';

/** Magnitudes of safety: an equal-mass unresolved companion (0.75 mag) plus the mass-grid and shell
 * sampling (< 0.05 mag). The limit applies to true magnitudes, so noise needs no margin. */
export const BRIGHTNESS_MARGIN = 0.8;
/** Factor above the highest living grid mass up to which masses are still drawn: a few mass-grid steps
 * (3% each) plus the shift of the death mass with [M/H] beyond the curve's ±2σ (a few per cent). */
export const ALIVE_MARGIN = 1.15;

export type Region = { kind: 'cone'; lDeg: number; bDeg: number; radiusDeg: number } | { kind: 'sphere' };

/** Brightest absolute magnitude (limit band, no extinction) at each mass of an increasing grid. */
export interface BrightnessCurve {
  masses: Float64Array;
  brightest: Float64Array;
}

/** A population to draw from: its density law and the number of stars formed per M☉ of it. */
export interface FieldSource {
  code: number;
  /** M☉ pc^-3 (or any unit, when `absolute` is false). */
  density(g: { rPc: number; zPc: number; xPc: number; yPc: number }): number;
  /** Its initial mass function. */
  imf: Imf;
  /** Stars formed (0.08–120 M☉, by `imf`) per M☉ of present-day stellar mass. */
  starsPerMass: number;
  brightness: BrightnessCurve;
}

export interface FieldDraw {
  source: number;
  lDeg: number;
  bDeg: number;
  distancePc: number;
  massInit: number;
}

const DEG = Math.PI / 180;
const SHELLS = 160;

export class FieldSampler {
  readonly expected: number;
  private readonly cumulative: Float64Array;
  private readonly cellSource: Uint8Array;
  private readonly cellDir: Uint16Array;
  private readonly cellShell: Uint16Array;
  private readonly shellEdges: Float64Array;
  private readonly shellMinMass: Float64Array[];
  /** Highest mass drawn per source (stars above it are dead at every age of the source). */
  private readonly massMax: Float64Array;
  /** IMF cumulative counts at each shell's lowest drawn mass and at the highest (fast inversion). */
  private readonly shellMinCumulative: Float64Array[];
  private readonly maxCumulative: Float64Array;
  private readonly rings: number;
  private readonly sectors: number;
  private readonly axis: { l: number; b: number; cosRadius: number };
  private readonly frame: ConeFrame;
  /** The last draw (reused: read it before the next draw). */
  private readonly result: FieldDraw = { source: 0, lDeg: 0, bDeg: 0, distancePc: 0, massInit: 0 };

  constructor(
    region: Region,
    minDistancePc: number,
    maxDistancePc: number,
    magLimit: number,
    readonly sources: readonly FieldSource[],
  ) {
    if (sources.length === 0) throw new Error('field sampler: no populations to draw from');
    this.axis =
      region.kind === 'cone'
        ? { l: region.lDeg, b: region.bDeg, cosRadius: Math.cos(Math.min(180, region.radiusDeg) * DEG) }
        : { l: 0, b: 90, cosRadius: -1 };
    this.frame = new ConeFrame(this.axis.l, this.axis.b);
    const areaSr = 2 * Math.PI * (1 - this.axis.cosRadius);
    const areaDeg2 = areaSr / (DEG * DEG);
    const cells = Math.max(4, Math.min(1024, Math.ceil(areaDeg2 / 20)));
    this.rings = Math.max(1, Math.round(Math.sqrt(cells / 4)));
    this.sectors = Math.max(4, Math.ceil(cells / this.rings));
    const nDir = this.rings * this.sectors;
    const cellSr = areaSr / nDir;

    // Distance shells: logarithmic from max(1 pc, min) to max.
    const lo = Math.max(1, minDistancePc);
    this.shellEdges = new Float64Array(SHELLS + 1);
    for (let j = 0; j <= SHELLS; j++) this.shellEdges[j] = lo * (maxDistancePc / lo) ** (j / SHELLS);

    // Lowest possibly visible mass per source and shell (at the shell's near edge).
    this.shellMinMass = sources.map((source) => {
      const minMass = new Float64Array(SHELLS);
      for (let j = 0; j < SHELLS; j++) {
        const modulus = 5 * Math.log10((this.shellEdges[j] as number) / 10);
        minMass[j] = lowestVisibleMass(source.brightness, magLimit + BRIGHTNESS_MARGIN - modulus);
      }
      return minMass;
    });

    this.massMax = Float64Array.from(sources, (source) => highestLivingMass(source.brightness));
    this.maxCumulative = this.massMax.map((m, s) => (sources[s] as FieldSource).imf.cumulativeAt(m));
    this.shellMinCumulative = this.shellMinMass.map((minMass, s) =>
      minMass.map((m) =>
        (sources[s] as FieldSource).imf.cumulativeAt(
          Math.max(STELLAR_MASS_MIN, Math.min(m, STELLAR_MASS_MAX)),
        ),
      ),
    );
    const total = sources.length * nDir * SHELLS;
    const weights = new Float64Array(total);
    this.cellSource = new Uint8Array(total);
    this.cellDir = new Uint16Array(total);
    this.cellShell = new Uint16Array(total);
    let c = 0;
    for (let s = 0; s < sources.length; s++) {
      const source = sources[s] as FieldSource;
      const formed = source.imf.moment(STELLAR_MASS_MIN, STELLAR_MASS_MAX, 0);
      const minMass = this.shellMinMass[s] as Float64Array;
      const mMax = this.massMax[s] as number;
      for (let k = 0; k < nDir; k++) {
        const dir = this.cellCentre(k);
        for (let j = 0; j < SHELLS; j++) {
          const d0 = this.shellEdges[j] as number;
          const d1 = this.shellEdges[j + 1] as number;
          const mMin = minMass[j] as number;
          let w = 0;
          if (mMin < mMax) {
            const dMid = Math.cbrt((d0 * d0 * d0 + d1 * d1 * d1) / 2);
            const g = toGalactocentric(dir.l, dir.b, dMid);
            const volume = (cellSr * (d1 * d1 * d1 - d0 * d0 * d0)) / 3;
            const visibleShare = source.imf.moment(Math.max(STELLAR_MASS_MIN, mMin), mMax, 0) / formed;
            w = source.density(g) * source.starsPerMass * volume * visibleShare;
          }
          weights[c] = w;
          this.cellSource[c] = s;
          this.cellDir[c] = k;
          this.cellShell[c] = j;
          c++;
        }
      }
    }
    this.cumulative = new Float64Array(total);
    let acc = 0;
    for (let i = 0; i < total; i++) {
      acc += weights[i] as number;
      this.cumulative[i] = acc;
    }
    this.expected = acc;
  }

  /** Expected candidates per source (same order as `sources`). */
  expectedBySource(): number[] {
    const out = new Array<number>(this.sources.length).fill(0);
    let prev = 0;
    for (let i = 0; i < this.cumulative.length; i++) {
      const value = this.cumulative[i] as number;
      const s = this.cellSource[i] as number;
      out[s] = (out[s] as number) + value - prev;
      prev = value;
    }
    return out;
  }

  /** One star; the returned object is reused by the next call. */
  draw(rng: Random): FieldDraw {
    if (!(this.expected > 0))
      throw new Error('field sampler: the region holds no stars that can reach the magnitude limit');
    const cell = rng.pickCumulative(this.cumulative);
    const s = this.cellSource[cell] as number;
    const k = this.cellDir[cell] as number;
    const j = this.cellShell[cell] as number;
    const ring = Math.floor(k / this.sectors);
    const sector = k % this.sectors;
    // Uniform within the sky cell: cos θ uniform within the ring, φ uniform within the sector.
    const c0 = 1 - ((1 - this.axis.cosRadius) * ring) / this.rings;
    const c1 = 1 - ((1 - this.axis.cosRadius) * (ring + 1)) / this.rings;
    const cosTheta = c0 + (c1 - c0) * rng.uniform();
    const phi = ((sector + rng.uniform()) / this.sectors) * 2 * Math.PI;
    this.frame.toGalactic(cosTheta, phi, this.result);
    const out = this.result;
    // Volume-uniform within the shell.
    const d0 = this.shellEdges[j] as number;
    const d1 = this.shellEdges[j + 1] as number;
    const distancePc = Math.cbrt(d0 * d0 * d0 + rng.uniform() * (d1 * d1 * d1 - d0 * d0 * d0));
    const mMin = Math.max(STELLAR_MASS_MIN, (this.shellMinMass[s] as Float64Array)[j] as number);
    const cumLo = (this.shellMinCumulative[s] as Float64Array)[j] as number;
    const cumHi = this.maxCumulative[s] as number;
    out.source = s;
    out.distancePc = distancePc;
    out.massInit = (this.sources[s] as FieldSource).imf.atCumulative(
      cumLo + rng.uniform() * (cumHi - cumLo),
      mMin,
      this.massMax[s] as number,
    );
    return out;
  }

  private cellCentre(k: number): { l: number; b: number } {
    const ring = Math.floor(k / this.sectors);
    const sector = k % this.sectors;
    const c0 = 1 - ((1 - this.axis.cosRadius) * ring) / this.rings;
    const c1 = 1 - ((1 - this.axis.cosRadius) * (ring + 1)) / this.rings;
    this.frame.toGalactic((c0 + c1) / 2, ((sector + 0.5) / this.sectors) * 2 * Math.PI, this.result);
    return { l: this.result.lDeg, b: this.result.bDeg };
  }
}

/** Smallest grid mass below which no star is brighter than `absMagLimit` (∞ when none is). */
export function lowestVisibleMass(curve: BrightnessCurve, absMagLimit: number): number {
  let runningMin = Infinity;
  for (let i = 0; i < curve.masses.length; i++) {
    runningMin = Math.min(runningMin, curve.brightest[i] as number);
    if (runningMin <= absMagLimit) return i === 0 ? 0 : (curve.masses[i - 1] as number);
  }
  return Infinity;
}

/** Upper mass bound of the stars alive somewhere on the curve (its grid spans the ages and [M/H] of the
 * source): `ALIVE_MARGIN` above the last grid mass with a living star; no living star: the lowest mass. */
export function highestLivingMass(curve: BrightnessCurve): number {
  for (let i = curve.masses.length - 1; i >= 0; i--) {
    if (Number.isFinite(curve.brightest[i])) {
      return Math.min(STELLAR_MASS_MAX, (curve.masses[i] as number) * ALIVE_MARGIN);
    }
  }
  return STELLAR_MASS_MIN;
}

/** Main-sequence turn-off mass (M☉) at `ageGyr`, from the lifetime t ≈ 10 Gyr (M/M☉)^-2.5 (Kippenhahn,
 * Weigert & Weiss 2012, Sect. 30.5). */
export function turnOffMass(ageGyr: number): number {
  return Math.min(
    STELLAR_MASS_MAX,
    Math.max(STELLAR_MASS_MIN * 1.01, (Math.max(ageGyr, 1e-4) / 10) ** (-1 / 2.5)),
  );
}

/** An IMF's stars formed (0.08–120 M☉) per M☉ of stars still alive at `ageGyr`. */
export function starsPerLivingMass(imf: Imf, ageGyr: number): number {
  return (
    imf.moment(STELLAR_MASS_MIN, STELLAR_MASS_MAX, 0) / imf.moment(STELLAR_MASS_MIN, turnOffMass(ageGyr), 1)
  );
}
