// `cradle forward star`: one star through the physics forward model (isochrones -> atmosphere -> dust ->
// passbands), printed as JSON for people and for the cross-language tests.
import type { Command } from 'commander';
import { isLibraryName } from '../../forward/physics/atmospheres.ts';
import { isIsochroneSetName, ISOCHRONE_SETS } from '../../forward/physics/isochrones.ts';
import { forwardStar, starFromIsochrones, type StarAtmosphere } from '../../forward/physics/star.ts';
import { xpSpectrum } from '../../forward/physics/xp.ts';

interface StarOptions {
  teff?: string;
  logg?: string;
  mh?: string;
  radius?: string;
  mass?: string;
  age?: string;
  distance: string;
  av: string;
  rv: string;
  library: string;
  isochrones: string;
  xp?: boolean;
  json?: boolean;
}

function num(name: string, value: string | undefined): number {
  const x = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(x)) {
    throw new Error(`--${name}: expected a number, got '${value ?? ''}'`);
  }
  return x;
}

export function registerForwardCommand(program: Command): void {
  const forward = program
    .command('forward')
    .description('the physics forward model: stars to what surveys observe');
  forward
    .command('star')
    .description(
      'synthetic Vega magnitudes (Gaia, 2MASS, WISE) of one star, from atmosphere parameters or through isochrones',
    )
    .option('--teff <K>', 'effective temperature (with --logg, --radius)')
    .option('--logg <dex>', 'surface gravity, log10 cm s-2')
    .option('--mh <dex>', '[M/H]', '0')
    .option('--radius <Rsun>', 'radius in solar radii')
    .option('--mass <Msun>', 'initial mass (with --age), through the isochrones')
    .option('--age <yr>', 'age in years, e.g. 4.6e9')
    .option('--distance <pc>', 'distance in parsec', '10')
    .option('--av <mag>', 'V-band extinction A_V', '0')
    .option('--rv <ratio>', 'R_V = A_V / E(B-V) (Gordon et al. 2023 law)', '3.1')
    .option('--library <name>', 'atmosphere library: kurucz | btsettl', 'kurucz')
    .option('--isochrones <name>', `isochrone set: ${ISOCHRONE_SETS.join(' | ')}`, 'parsec12')
    .option('--xp', 'add a Gaia XP-like sampled spectrum (336-1020 nm)')
    .option('--json', 'print JSON (the only output format)')
    .action((opts: StarOptions) => {
      if (!isLibraryName(opts.library))
        throw new Error(`--library: '${opts.library}' is not kurucz or btsettl`);
      if (!isIsochroneSetName(opts.isochrones)) {
        throw new Error(`--isochrones: '${opts.isochrones}' is not one of ${ISOCHRONE_SETS.join(', ')}`);
      }
      const mh = num('mh', opts.mh);
      const viaIsochrones = opts.mass !== undefined || opts.age !== undefined;
      const direct = opts.teff !== undefined || opts.logg !== undefined || opts.radius !== undefined;
      if (viaIsochrones === direct) {
        throw new Error(
          'give either --teff --logg --radius (and --mh) or --mass --age (and --mh), not both or neither',
        );
      }
      let star: StarAtmosphere;
      const warnings: string[] = [];
      if (viaIsochrones) {
        const s = starFromIsochrones(num('mass', opts.mass), num('age', opts.age), mh, opts.isochrones);
        star = s;
        warnings.push(...s.warnings);
      } else {
        star = {
          teff: num('teff', opts.teff),
          logg: num('logg', opts.logg),
          mh,
          radius: num('radius', opts.radius),
        };
      }
      const obs = {
        distancePc: num('distance', opts.distance),
        av: num('av', opts.av),
        rv: num('rv', opts.rv),
        library: opts.library,
        law: 'G23' as const,
      };
      const r = forwardStar(star, obs);
      warnings.push(...r.warnings);
      const out: Record<string, unknown> = {
        teff: r.teff,
        logg: r.logg,
        logL: r.logL,
        radius: r.radius,
        mags: r.mags,
      };
      if (opts.xp) out['xp'] = xpSpectrum(star, obs);
      for (const w of warnings) process.stderr.write(`cradle: warning: ${w}\n`);
      process.stdout.write(`${JSON.stringify(out)}\n`);
    });
}
