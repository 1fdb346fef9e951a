import { describe, expect, it } from 'vitest';
import { loadIsochrones } from '../../../../electron/forward/physics/isochrones.ts';
import { physicsPort } from '../../../../electron/forward/simulate/physics-port.ts';
import { allocateInputs, allocateOutputs } from '../../../../electron/forward/simulate/photometry-port.ts';

function star(logAge: number, mass: number): ReturnType<typeof allocateInputs> {
  const inputs = allocateInputs(1);
  inputs.count = 1;
  inputs.logAge[0] = logAge;
  inputs.massInit[0] = mass;
  inputs.mh[0] = 0;
  inputs.av[0] = 0;
  inputs.rv[0] = 3.1;
  return inputs;
}

describe('physics port options (config physics block)', () => {
  it('takes young stars from the chosen PMS grid and older ones from PARSEC', () => {
    const parsec = physicsPort();
    const baraffe = physicsPort({ pmsIsochrones: 'baraffe2015', pmsMaxLogAge: 8 });
    expect(baraffe.description['pmsIsochrones']).toMatch(/^baraffe2015/);
    const grid = loadIsochrones('baraffe2015');
    for (const [logAge, mass, fromPms] of [
      [6.5, 0.5, true],
      [7.5, 0.2, true],
      [8.5, 0.5, false],
    ] as const) {
      const a = allocateOutputs(parsec.bands, 1);
      const b = allocateOutputs(baraffe.bands, 1);
      parsec.compute(star(logAge, mass), a);
      baraffe.compute(star(logAge, mass), b);
      const expected = grid.interpolate({
        massInit: Float64Array.of(mass),
        logAge: Float64Array.of(logAge),
        mh: Float64Array.of(0),
      });
      if (fromPms) {
        expect(b.teff[0]).toBeCloseTo(expected.teff[0] as number, 6);
        expect(b.teff[0]).not.toBeCloseTo(a.teff[0] as number, 0);
      } else expect(b.teff[0]).toBe(a.teff[0]);
      expect(b.alive[0]).toBe(1);
    }
    expect(() => physicsPort({ pmsIsochrones: 'parsec12' })).toThrow(/unknown pre-main-sequence/);
    expect(() => physicsPort({ library: 'phoenix' })).toThrow(/unknown atmosphere library/);
  }, 120000);

  it('hands worker threads its BC table in shared memory', () => {
    const port = physicsPort();
    const shared = port.workerOptions?.() as { bcValues: Float32Array };
    expect(shared.bcValues.buffer).toBeInstanceOf(SharedArrayBuffer);
    const twin = physicsPort({ bcValues: shared.bcValues });
    const a = allocateOutputs(port.bands, 1);
    const b = allocateOutputs(port.bands, 1);
    port.compute(star(9, 1), a);
    twin.compute(star(9, 1), b);
    expect(b.absMag['gaia.g'][0]).toBe(a.absMag['gaia.g'][0]);
  }, 120000);
});
