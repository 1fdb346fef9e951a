// The infrared light of a young star's disc, per band, for the stars the simulator gives a disc (has_disk,
// electron/forward/clusters/disk-fraction.ts). The disc model is the physics code's (yso-disk.ts: an
// optically thick, flat or flared disc, Adams, Lada & Shu 1987); here it is only sampled: evaluated on 24
// wavelengths across each passband, averaged through the band with the physics' bandFlux, zero-pointed
// on Vega, and reddened with the star's own A_V and R_V (G23). Disc parameters are drawn from a broad,
// documented prior (Class II-like): inner rim 1400 K (dust sublimation), L_disc/L_* log-uniform in
// DISK_LUM_FRACTION (below), temperature index q uniform in 0.5–0.75 (flared to flat; Kenyon & Hartmann
// 1987), cos i uniform in 0.05–1 (isotropic orientations). With these, a disc-dominated mid-IR slope lies
// between the flat disc's α = -4/3 and flat-spectrum 0, as for Class II sources (-1.6 < α < -0.3, Greene
// et al. 1994, ApJ 434, 614).
import { loadPassbands, loadVega, type Band, type Passband } from '../physics/bands.ts';
import { extinctionForSed } from '../physics/extinction.ts';
import { bandFlux } from '../physics/synthetic-photometry.ts';
import { diskFlux, type DiskParams } from '../physics/yso-disk.ts';
import type { Random } from './random.ts';

const SAMPLES = 24;
/** L_disc/L_* range (log-uniform): centred on the 1/4 of the starlight a flat, passive, optically thick
 * disc reprocesses (Adams & Shu 1986, ApJ 308, 836), a factor ~2.5 below (settled, partly depleted
 * discs) and above (flaring and accretion add light: Kenyon & Hartmann 1987, ApJ 323, 714). */
export const DISK_LUM_FRACTION = [0.1, 0.6] as const;

export interface DiskDraw {
  lumFraction: number;
  tempIndex: number;
  inclinationDeg: number;
}

export function drawDisk(rng: Random): DiskDraw {
  return {
    lumFraction: DISK_LUM_FRACTION[0] * (DISK_LUM_FRACTION[1] / DISK_LUM_FRACTION[0]) ** rng.uniform(),
    tempIndex: 0.5 + 0.25 * rng.uniform(),
    inclinationDeg: (Math.acos(0.05 + 0.95 * rng.uniform()) * 180) / Math.PI,
  };
}

interface BandSampling {
  band: Band;
  passband: Passband;
  wave: Float64Array;
  vegaFlux: number;
}

export class DiskLight {
  private readonly bands: BandSampling[];
  private readonly allWave: Float64Array;

  constructor(bands: readonly Band[]) {
    const passbands = loadPassbands();
    const vega = loadVega();
    this.bands = bands.map((band) => {
      const passband = passbands.find((p) => p.name === band);
      if (passband === undefined) throw new Error(`disc light: no passband for '${band}'`);
      const lo = passband.wavelength[0] as number;
      const hi = passband.wavelength[passband.wavelength.length - 1] as number;
      const wave = Float64Array.from({ length: SAMPLES }, (_, i) => lo + ((hi - lo) * i) / (SAMPLES - 1));
      return { band, passband, wave, vegaFlux: bandFlux(vega, passband) };
    });
    this.allWave = Float64Array.from(this.bands.flatMap((b) => [...b.wave]));
  }

  /** Apparent Vega magnitudes of the disc light alone, per band (Infinity where it gives no light). */
  magnitudes(
    lStarLsun: number,
    distancePc: number,
    av: number,
    rv: number,
    disk: DiskDraw,
  ): Record<Band, number> {
    const params: DiskParams = {
      innerTemp: 1400,
      lumFraction: disk.lumFraction,
      tempIndex: disk.tempIndex,
      inclinationDeg: disk.inclinationDeg,
    };
    const flux = diskFlux(this.allWave, lStarLsun, distancePc, params);
    const curve = extinctionForSed('G23', this.allWave, rv);
    const out = {} as Record<Band, number>;
    this.bands.forEach((b, k) => {
      const f = new Float64Array(SAMPLES);
      for (let i = 0; i < SAMPLES; i++) {
        const j = k * SAMPLES + i;
        f[i] = (flux[j] as number) * 10 ** (-0.4 * av * (curve[j] as number));
      }
      const mean = bandFlux({ wavelength: b.wave, flux: f }, b.passband);
      out[b.band] = mean > 0 ? -2.5 * Math.log10(mean / b.vegaFlux) : Infinity;
    });
    return out;
  }
}
