// The views on the left rail, their shortcuts, and — for views a later issue builds — what they
// will hold and which issue brings them, so the shell never shows invented content.
import type { ViewName } from '../../electron/api/events.ts';

export interface Planned {
  summary: string;
  features: string[];
  issue: string;
}

export interface ViewInfo {
  name: ViewName;
  label: string;
  /** 1-based position: Ctrl/Cmd + this digit opens the view. */
  key: number;
  planned: Planned | null;
}

export const views: ViewInfo[] = [
  { name: 'files', label: 'Files', key: 1, planned: null },
  { name: 'inspect', label: 'Inspect', key: 2, planned: null },
  {
    name: 'simulate',
    label: 'Simulate',
    key: 3,
    planned: {
      summary: 'The forward model: synthetic young stars, clusters and survey observations.',
      features: [
        'Milky Way population and young clusters with ages, masses, distances and extinction',
        'Photometry and spectra as the surveys (Gaia, 2MASS, WISE, LAMOST, APOGEE) would record them',
        'Training sets written as Parquet shards with a manifest',
      ],
      issue: 'The forward-model simulator: Milky Way population, young clusters, surveys, training sets',
    },
  },
  {
    name: 'infer',
    label: 'Infer',
    key: 4,
    planned: {
      summary: 'Run a catalog through a model: calibrated posteriors for every star.',
      features: [
        'Choose a catalog and a model; see the cost estimate before the run',
        'Progress, pause and resume; per-star posterior summaries and flags',
        'Results exported as Parquet, FITS, CSV or VOTable',
      ],
      issue:
        'Infer and Galaxy views: run a catalog, then fly through a 3D map of young-star ages and clusters',
    },
  },
  {
    name: 'galaxy',
    label: 'Galaxy',
    key: 5,
    planned: {
      summary: 'Fly through a 3D map of young stars, coloured by age, grouped into clusters.',
      features: [
        'Galactic and ICRS frames, level of detail for millions of stars',
        'Colour by age, cluster or uncertainty; select a cluster to see its members',
      ],
      issue:
        'Infer and Galaxy views: run a catalog, then fly through a 3D map of young-star ages and clusters',
    },
  },
  {
    name: 'models',
    label: 'Models',
    key: 6,
    planned: {
      summary: 'The neural posterior models: what each was trained on and how well it is calibrated.',
      features: [
        'Model cards: variables, units, training data, FLOPs per star',
        'Calibration and accuracy on held-out simulations',
        'Which execution provider (CPU, CUDA, CoreML, DirectML, WebGPU) runs each model',
      ],
      issue: 'The Simformer: training, ONNX export and calibration in `native-models/`',
    },
  },
];

export function viewForKey(key: number): ViewInfo | undefined {
  return views.find((view) => view.key === key);
}
