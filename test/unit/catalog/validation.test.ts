// Every table in ../shared/data/real-stars/validation/ reads and its quantities are recognised. The
// expected mapping of each file was written by hand from the file's own header/columns; a quantity
// not listed must not be recognised (so a wrong guess fails the test as surely as a missed one).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarise } from '../../../electron/catalog/inspect.ts';
import { readCatalog } from '../../../electron/catalog/read.ts';

const VALIDATION = resolve(import.meta.dirname, '../../../../shared/data/real-stars/validation');
const present = existsSync(VALIDATION);
if (!present) console.warn(`skipping catalog validation tests: ${VALIDATION} is absent`);

/** Columns of the gyro-interp Gaia DR3 cross-matches (identical in all seven files). */
const GYRO_GAIA = {
  source_id: 'dr3_source_id',
  ra: 'ra',
  dec: 'dec',
  l: 'l',
  b: 'b',
  pmra: 'pmra',
  pmdec: 'pmdec',
  'gaia.parallax': 'parallax',
  'gaia.parallax.err': 'parallax_error',
  'gaia.ruwe': 'ruwe',
  'gaia.bp_rp_excess': 'phot_bp_rp_excess_factor',
  'gaia.g': 'phot_g_mean_mag',
  'gaia.g.err': 'sqrt((1.0857362047581294 / phot_g_mean_flux_over_error)^2 + 0.0027553202^2)',
  'gaia.bp': 'phot_g_mean_mag + bp_g',
  'gaia.bp.err': 'sqrt((1.0857362047581294 / phot_bp_mean_flux_over_error)^2 + 0.00279017^2)',
  'gaia.rp': 'phot_g_mean_mag - g_rp',
  'gaia.rp.err': 'sqrt((1.0857362047581294 / phot_rp_mean_flux_over_error)^2 + 0.0037793818^2)',
  a0: 'azero_gspphot',
  ag: 'ag_gspphot',
  e_bp_rp: 'ebpminrp_gspphot',
  teff: 'teff_gspphot',
};

const IR_FLUX = (band: string, column: string, zero: string) => ({
  [band]: `-2.5 * log10(${column} / ${zero})`,
  [`${band}.err`]: `1.0857362047581294 * \`e_${column}\` / ${column}`,
});

const EXPECTED: Record<string, Record<string, string>> = {
  'gyro-interp/Boyle_inprep_X_GDR3_supplemented.csv': GYRO_GAIA,
  'gyro-interp/Curtis_2019_X_GDR3_supplemented.csv': GYRO_GAIA,
  'gyro-interp/Fritzewski_2021_X_DR3_supplemented.csv': GYRO_GAIA,
  'gyro-interp/Messina_2022_X_GDR3_supplemented.csv': GYRO_GAIA,
  // Gillen: G_mag/BP_mag/RP_mag (literature) lose to the DR3 archive columns; Ks_mag is 2MASS Ks.
  'gyro-interp/Gillen_2020_X_GDR3_supplemented.csv': { ...GYRO_GAIA, 'tmass.ks': 'Ks_mag' },
  // Rampalli: the DR3 columns win over the EDR3-era pmRA/plx/Gmag; e_pmRA belongs to pmRA, not pmra.
  'gyro-interp/Rampalli_2021_X_DR3_supplemented.csv': {
    ...GYRO_GAIA,
    'tmass.ks': 'Ksmag',
    mass_init: 'Mass',
  },
  'gyro-interp/Rebull_2016_X_GDR3_supplemented.csv': { ...GYRO_GAIA, 'tmass.ks': 'Ksmag' },
  'esplin-crA/esplin_cata.txt': {
    source_id: 'Gaia',
    ra: 'RAdeg',
    dec: 'DEdeg',
    pmra: 'GaiapmRA',
    'pmra.err': 'e_GaiapmRA',
    pmdec: 'GaiapmDec',
    'pmdec.err': 'e_GaiapmDec',
    'gaia.parallax': 'plx',
    'gaia.parallax.err': 'e_plx',
    'gaia.ruwe': 'RUWE',
    'gaia.g': 'Gmag',
    'gaia.g.err': 'e_Gmag',
    'gaia.bp': 'GBPmag',
    'gaia.bp.err': 'e_GBPmag',
    'gaia.rp': 'GRPmag',
    'gaia.rp.err': 'e_GRPmag',
    'tmass.j': 'Jmag',
    'tmass.j.err': 'e_Jmag',
    'tmass.h': 'Hmag',
    'tmass.h.err': 'e_Hmag',
    'tmass.ks': 'Kmag',
    'tmass.ks.err': 'e_Kmag',
    'wise.w1': 'W1mag',
    'wise.w1.err': 'e_W1mag',
    'wise.w2': 'W2mag',
    'wise.w2.err': 'e_W2mag',
    'wise.w3': 'W3mag',
    'wise.w3.err': 'e_W3mag',
    'wise.w4': 'W4mag',
    'wise.w4.err': 'e_W4mag',
    ak: 'Ak',
    distance_pc: 'r-med-geo',
  },
  'canovas-rhooph/tab_3.dat': {
    source_id: 'source_ID',
    ra: 'RAdeg',
    dec: 'DEdeg',
    pmra: 'pmRA',
    pmdec: 'pmDE',
    'gaia.parallax': 'plx',
  },
  'canovas-rhooph/tab_ap_1.dat': { source_id: 'DR2' },
  // Band fluxes λF_λ in W/m² → Vega magnitudes (Cohen et al. 2003; Jarrett et al. 2011 zero points).
  'canovas-rhooph/tab_ap_4.dat': {
    source_id: 'source_ID',
    ...IR_FLUX('tmass.j', 'JFlux', '3.86432e-9'),
    ...IR_FLUX('tmass.h', 'HFlux', '1.88305e-9'),
    ...IR_FLUX('tmass.ks', 'KsFlux', '9.24700e-10'),
    ...IR_FLUX('wise.w1', 'W1Flux', '2.74199e-10'),
    ...IR_FLUX('wise.w2', 'W2Flux', '1.11158e-10'),
    ...IR_FLUX('wise.w3', 'W3Flux', '7.53198e-12'),
    ...IR_FLUX('wise.w4', 'W4Flux', '1.12432e-12'),
  },
  'canovas-rhooph/sample_common_x_2mass-result.vot': {
    source_id: 'source_id',
    ra: 'ra',
    dec: 'dec',
    'tmass.j': 'Jmag',
    'tmass.j.err': 'e_Jmag',
    'tmass.h': 'Hmag',
    'tmass.h.err': 'e_Hmag',
    'tmass.ks': 'Kmag',
    'tmass.ks.err': 'e_Kmag',
    'tmass.ph_qual': 'ph_qual',
  },
  'canovas-rhooph/sample_common_x_wise-result.vot': {
    source_id: 'source_id',
    ra: 'ra',
    dec: 'dec',
    'wise.w1': 'W1mag',
    'wise.w1.err': 'e_W1mag',
    'wise.w2': 'W2mag',
    'wise.w2.err': 'e_W2mag',
    'wise.w3': 'W3mag',
    'wise.w3.err': 'e_W3mag',
    'wise.w4': 'W4mag',
    'wise.w4.err': 'e_W4mag',
    'wise.ph_qual': 'ph_qual',
    'wise.cc_flags': 'cc_flag',
  },
};

const ROWS: Record<string, number> = {
  'gyro-interp/Boyle_inprep_X_GDR3_supplemented.csv': 5226,
  'gyro-interp/Curtis_2019_X_GDR3_supplemented.csv': 101,
  'gyro-interp/Fritzewski_2021_X_DR3_supplemented.csv': 279,
  'gyro-interp/Gillen_2020_X_GDR3_supplemented.csv': 127,
  'gyro-interp/Messina_2022_X_GDR3_supplemented.csv': 173,
  'gyro-interp/Rampalli_2021_X_DR3_supplemented.csv': 1013,
  'gyro-interp/Rebull_2016_X_GDR3_supplemented.csv': 754,
  'esplin-crA/esplin_cata.txt': 393,
  'canovas-rhooph/tab_3.dat': 532,
  'canovas-rhooph/tab_ap_1.dat': 470,
  'canovas-rhooph/tab_ap_4.dat': 48,
  'canovas-rhooph/sample_common_x_2mass-result.vot': 391,
  'canovas-rhooph/sample_common_x_wise-result.vot': 391,
};

describe.skipIf(!present)('real validation tables', () => {
  it('the expected list covers every table in the folder', async () => {
    const { readdirSync } = await import('node:fs');
    const tables = readdirSync(VALIDATION, { recursive: true, encoding: 'utf8' })
      .filter((p) => /\.(csv|txt|dat|vot)$/.test(p) && !/readme|LICENSE/i.test(p))
      .sort();
    expect(tables).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [path, expected] of Object.entries(EXPECTED)) {
    it(`${path}: reads and recognises exactly the hand-written mapping`, async () => {
      const catalog = await readCatalog(join(VALIDATION, path));
      expect(catalog.table.numRows).toBe(ROWS[path]);
      const { summary } = summarise(catalog);
      const found = Object.fromEntries(
        Object.entries(summary.quantities).map(([name, q]) => [name, q.column ?? q.expression ?? '']),
      );
      expect(found).toEqual(expected);
      for (const [name, q] of Object.entries(summary.quantities)) {
        expect(q.observed, `${path} ${name} observed`).toBeGreaterThan(0);
        expect(q.observed).toBeLessThanOrEqual(catalog.table.numRows);
      }
    });
  }
});
