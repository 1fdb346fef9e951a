// Built-in configurations. `demo` is the app's first-run sky: four young clusters (1, 5, 20 and 60 Myr,
// 150–1500 pc) seen through a field population in a 2° cone towards the Galactic anticentre below the
// plane, to G = 16 — about twenty thousand stars, generated in seconds and small enough to ship. Its discs
// follow the disc law of the shipped model's training set (2.5 Myr, configs/small-training-set.json), and
// its field the IMF of that set (Kroupa for every component), so the first run shows that model on stars
// from its own prior: on a sky with the default 5.8 Myr, 42% of
// the 5 Myr cluster has a disc (13% at 2.5 Myr), cradle-small puts those members 0.37 dex too young, and
// its 95% intervals cover 0.85 of the cluster (0.96 here).
// `field` is a 1° high-latitude pencil beam to G = 20 (the star-count check); `clusters` is a training
// mixture (field + random clusters + a broad age prior) in a 1.5 kpc sphere.
import type { SimulationConfigInput } from './config.ts';

export const PRESETS = {
  demo: {
    name: 'demo sky',
    seed: 20261126,
    region: { kind: 'cone', lDeg: 200, bDeg: -12, radiusDeg: 2 },
    magnitudeLimit: { band: 'gaia.g', max: 16 },
    diskDecayMyr: 2.5,
    fieldImf: 'kroupa2001',
    clusters: [
      {
        name: 'demo-1Myr',
        ageMyr: 1,
        ageSpreadMyr: 0.3,
        massMsun: 150,
        lDeg: 198.8,
        bDeg: -10.9,
        distancePc: 150,
        radiusPc: 1.2,
        velocityDispersionKms: 0.8,
        av: 1.2,
        avSpread: 0.6,
      },
      {
        name: 'demo-5Myr',
        ageMyr: 5,
        ageSpreadMyr: 1,
        massMsun: 400,
        lDeg: 201.1,
        bDeg: -12.9,
        distancePc: 400,
        radiusPc: 2.5,
        velocityDispersionKms: 1,
        av: 0.5,
        avSpread: 0.15,
      },
      {
        name: 'demo-20Myr',
        ageMyr: 20,
        massMsun: 700,
        lDeg: 199.6,
        bDeg: -13.8,
        distancePc: 800,
        radiusPc: 3,
        velocityDispersionKms: 1,
      },
      {
        name: 'demo-60Myr',
        ageMyr: 60,
        massMsun: 1500,
        lDeg: 201.2,
        bDeg: -10.9,
        distancePc: 1500,
        radiusPc: 3.5,
        velocityDispersionKms: 1.2,
      },
    ],
  },
  field: {
    name: 'high-latitude field',
    seed: 1,
    region: { kind: 'cone', lDeg: 90, bDeg: 60, radiusDeg: 1 },
    magnitudeLimit: { band: 'gaia.g', max: 20 },
  },
  clusters: {
    name: 'training mixture: field + clusters + broad age prior',
    seed: 7,
    region: { kind: 'sphere' },
    volumeRadiusPc: 1500,
    maxDistancePc: 1500,
    magnitudeLimit: { band: 'gaia.g', max: 19 },
    stars: 100000,
    mixture: { field: 0.4, clusters: 0.4, broadAge: 0.2 },
    survey: { dropout: 0.15 },
  },
} as const satisfies Record<string, SimulationConfigInput>;

export type PresetName = keyof typeof PRESETS;

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}
