import { describe, expect, it } from 'vitest';
import { COMPONENTS, massDensity } from '../../../../electron/forward/population/components.ts';
import { SUN_R_PC } from '../../../../electron/forward/population/frame.ts';
import { Imf } from '../../../../electron/forward/population/imf.ts';
import { turnOffMass } from '../../../../electron/forward/population/field-sampler.ts';

const at = (rPc: number, zPc: number): { rPc: number; zPc: number; xPc: number; yPc: number } => ({
  rPc,
  zPc,
  xPc: rPc,
  yPc: 0,
});

describe('Galactic components (Robin et al. 2003)', () => {
  it('give their Table 2 local densities at the Sun', () => {
    for (const law of COMPONENTS.filter((c) => c.id !== 'bulge')) {
      expect(massDensity(law, at(SUN_R_PC, 0))).toBeCloseTo(law.localDensity, 12);
    }
    const thin = COMPONENTS.filter((c) => c.id.startsWith('thin')).reduce((s, c) => s + c.localDensity, 0);
    expect(thin).toBeCloseTo(0.0394, 6);
  });

  it('fall off with height: older thin-disc bins are thicker, the thick disc thicker still', () => {
    const ratio = (id: string, z: number): number => {
      const law = COMPONENTS.find((c) => c.id === id)!;
      return massDensity(law, at(SUN_R_PC, z)) / massDensity(law, at(SUN_R_PC, 0));
    };
    expect(ratio('thin1', 300)).toBeLessThan(ratio('thin4', 300));
    expect(ratio('thin4', 300)).toBeLessThan(ratio('thin7', 300));
    expect(ratio('thin7', 1000)).toBeLessThan(ratio('thick', 1000));
    // Thick disc: exp(-|z|/800 pc) beyond xl = 400 pc.
    expect(ratio('thick', 2000) / ratio('thick', 1200)).toBeCloseTo(Math.exp(-800 / 800), 6);
  });

  it('make the thin/thick/halo number fractions near the Sun fall within published values', () => {
    // Published local fractions by number: thick disc 2–12% of the thin disc (Jurić et al. 2008: 12%;
    // Bland-Hawthorn & Gerhard 2016: 4–12%), halo 0.015–0.6% (Jurić et al. 2008: 0.51%; R03's own
    // densities and IMFs: thick disc 2.5%, halo 0.019%, the lowest published halo).
    const numberDensity = (id: string): number => {
      const law = COMPONENTS.find((c) => c.id === id)!;
      // Stars alive per M☉ of living stars.
      const imf = new Imf(law.imf);
      const turnOff = turnOffMass((law.ageGyr[0] + law.ageGyr[1]) / 2);
      const perMass = imf.moment(0.08, turnOff, 0) / imf.moment(0.08, turnOff, 1);
      return massDensity(law, at(SUN_R_PC, 15)) * perMass;
    };
    const thin = COMPONENTS.filter((c) => c.id.startsWith('thin')).reduce(
      (s, c) => s + numberDensity(c.id),
      0,
    );
    const thickFraction = numberDensity('thick') / thin;
    const haloFraction = numberDensity('halo') / thin;
    expect(thickFraction).toBeGreaterThan(0.02);
    expect(thickFraction).toBeLessThan(0.12);
    expect(haloFraction).toBeGreaterThan(0.00015);
    expect(haloFraction).toBeLessThan(0.006);
  });

  it('puts 2e10 M☉ in the bulge', () => {
    const bulge = COMPONENTS.find((c) => c.id === 'bulge')!;
    let total = 0;
    const step = 150;
    for (let x = -4500; x < 4500; x += step) {
      for (let y = -4500; y < 4500; y += step) {
        for (let z = -2400; z < 2400; z += step)
          total += massDensity(bulge, { rPc: Math.hypot(x, y), zPc: z, xPc: x, yPc: y }) * step ** 3;
      }
    }
    expect(total / 2e10).toBeGreaterThan(0.95);
    expect(total / 2e10).toBeLessThan(1.05);
  });
});
