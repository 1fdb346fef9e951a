// The canonical quantities (docs/architecture.md, "Canonical names") and the column spellings that
// hold them in Gaia archive, VizieR, 2MASS PSC, AllWISE/CatWISE and journal tables, each with a
// confidence, plus the derivations used when a table only holds colours, fluxes or signal-to-noise.
//
// Constants, with sources:
// - Gaia (E)DR3 Vega zero points and their uncertainties: Riello et al. 2021, A&A 649, A3, Table 3
//   (G 25.6874 ± 0.0028, BP 25.3385 ± 0.0028, RP 24.7479 ± 0.0038); magnitude errors from flux
//   signal-to-noise as in the Gaia archive's documentation (sect. 5.5.1): σ_m² = (2.5/ln10 · σ_F/F)² + σ_ZP².
// - 2MASS zero-magnitude F_λ and isophotal λ: Cohen, Wheaton & Megeath 2003, AJ 126, 1090, Table 2
//   (J 3.129e-13, H 1.133e-13, Ks 4.283e-14 W cm⁻² µm⁻¹ at 1.235, 1.662, 2.159 µm).
// - WISE zero-magnitude F_λ and isophotal λ: Jarrett et al. 2011, ApJ 735, 112, Table 1
//   (W1 8.1787e-15, W2 2.4150e-15, W3 6.5151e-17, W4 5.0901e-18 W cm⁻² µm⁻¹ at 3.3526, 4.6028,
//   11.5608, 22.0883 µm).
//   A band flux given in W m⁻² is read as λ·F_λ at the isophotal wavelength (the SED-table convention):
//   m = −2.5 log10(F / (λ_iso · F_λ,0)).

export type QuantityRole = 'id' | 'position' | 'astrometry' | 'photometry' | 'spectrum' | 'flag' | 'label';

export interface ColumnRule {
  /** Exact column names (case-sensitive), in order of preference. */
  names: string[];
  confidence: number;
  /** Also match the names ignoring case (only for long, unambiguous spellings). */
  anyCase?: boolean;
  /** Units the column must carry (when it carries one) for this rule. */
  units?: string[];
  /** Arrays of this many elements the column must hold (an Arrow list, or bracketed text arrays),
   * judged by its first non-null cell: for names that other kinds of table use too (`flux`). */
  arrayLength?: number;
}

export interface DerivedRule {
  expression: string;
  confidence: number;
  /** Units each named input must carry, when it carries one. */
  units?: Record<string, string[]>;
  note: string;
}

export interface QuantityDef {
  name: string;
  unit: string;
  role: QuantityRole;
  /** numeric: values used as numbers; text: identifiers, flags, spectrum references. */
  kind: 'numeric' | 'text' | 'any';
  columns: ColumnRule[];
  derived?: DerivedRule[];
  /** UCD fallback (lower confidence). */
  ucd?: RegExp;
  /** For per-band flag strings: the number of characters (2MASS 3, WISE 4) a column must hold. */
  flagLength?: number;
}

const MAG = ['mag', 'mag(vega)', 'vegamag'];
const ABMAG_LN10 = 1.0857362047581294; // 2.5 / ln 10

const ZP = {
  g: { zp: 25.6874, sigma: 0.0027553202 },
  bp: { zp: 25.3385, sigma: 0.00279017 },
  rp: { zp: 24.7479, sigma: 0.0037793818 },
} as const;

function gaiaBand(band: 'g' | 'bp' | 'rp', label: string, extra: ColumnRule[]): QuantityDef[] {
  const { zp, sigma } = ZP[band];
  const derived: DerivedRule[] = [];
  if (band === 'bp') {
    derived.push({ expression: 'phot_g_mean_mag + bp_g', confidence: 0.9, note: 'BP = G + (BP − G)' });
    derived.push({
      expression: 'phot_g_mean_mag - g_rp + bp_rp',
      confidence: 0.88,
      note: 'BP = G − (G − RP) + (BP − RP)',
    });
  }
  if (band === 'rp') {
    derived.push({ expression: 'phot_g_mean_mag - g_rp', confidence: 0.9, note: 'RP = G − (G − RP)' });
    derived.push({
      expression: 'phot_g_mean_mag + bp_g - bp_rp',
      confidence: 0.88,
      note: 'RP = G + (BP − G) − (BP − RP)',
    });
  }
  derived.push({
    expression: `-2.5 * log10(phot_${band}_mean_flux) + ${zp}`,
    confidence: 0.85,
    note: `Vega magnitude from the ${label} flux (e-/s), zero point ${zp} (Riello et al. 2021)`,
  });
  return [
    {
      name: `gaia.${band}`,
      unit: 'mag',
      role: 'photometry',
      kind: 'numeric',
      columns: [{ names: [`phot_${band}_mean_mag`], confidence: 0.95, anyCase: true, units: MAG }, ...extra],
      derived,
    },
    {
      name: `gaia.${band}.err`,
      unit: 'mag',
      role: 'photometry',
      kind: 'numeric',
      columns: [
        { names: [`phot_${band}_mean_mag_error`], confidence: 0.95, anyCase: true, units: MAG },
        ...extra.map((rule) => ({
          ...rule,
          names: rule.names.flatMap((n) => [`e_${n}`, `${n}_err`, `${n}_error`, `e${n}`]),
        })),
      ],
      derived: [
        {
          expression: `sqrt((${ABMAG_LN10} / phot_${band}_mean_flux_over_error)^2 + ${sigma}^2)`,
          confidence: 0.9,
          note: `from the ${label} flux signal-to-noise with the zero-point uncertainty ${sigma} added in quadrature`,
        },
        {
          expression: `sqrt((${ABMAG_LN10} * phot_${band}_mean_flux_error / phot_${band}_mean_flux)^2 + ${sigma}^2)`,
          confidence: 0.88,
          note: `from the ${label} flux and its error, zero-point uncertainty added`,
        },
      ],
    },
  ];
}

/** λ_iso·F_λ,0 in W m⁻² (F_λ,0 in W cm⁻² µm⁻¹ × 1e4 cm²/m² × λ_iso in µm). */
function fluxZeroPoint(flambda: number, lambdaMicron: number): number {
  return flambda * 1e4 * lambdaMicron;
}

function irBand(
  survey: 'tmass' | 'wise',
  band: string,
  valueRules: ColumnRule[],
  errorRules: ColumnRule[],
  flux: { column: string; flambda: number; lambda: number },
  ucd: RegExp,
  errorUcd: RegExp | undefined,
): QuantityDef[] {
  const zero = fluxZeroPoint(flux.flambda, flux.lambda);
  const fluxUnits = {
    [flux.column]: ['w/m2', 'w.m-2', 'w/m^2', 'wm-2'],
    [`e_${flux.column}`]: ['w/m2', 'w.m-2', 'w/m^2', 'wm-2'],
  };
  const value: QuantityDef = {
    name: `${survey}.${band}`,
    unit: 'mag',
    role: 'photometry',
    kind: 'numeric',
    columns: valueRules,
    derived: [
      {
        expression: `-2.5 * log10(${flux.column} / ${zero.toPrecision(6)})`,
        confidence: 0.6,
        units: fluxUnits,
        note: `Vega magnitude from a band flux λF_λ in W/m² (zero point ${zero.toPrecision(6)} W/m²)`,
      },
    ],
    ucd,
  };
  const error: QuantityDef = {
    name: `${survey}.${band}.err`,
    unit: 'mag',
    role: 'photometry',
    kind: 'numeric',
    columns: errorRules,
    derived: [
      {
        expression: `${ABMAG_LN10} * \`e_${flux.column}\` / ${flux.column}`,
        confidence: 0.6,
        units: fluxUnits,
        note: 'magnitude error from the flux error (2.5/ln10 · σ_F/F)',
      },
    ],
  };
  if (errorUcd !== undefined) error.ucd = errorUcd;
  return [value, error];
}

const DEG = ['deg', 'degree', 'degrees'];
const MAS = ['mas'];
const PM = ['mas/yr', 'mas/a', 'mas.yr-1', 'mas.a-1', 'masyr-1', 'mas/year'];

export const QUANTITIES: QuantityDef[] = [
  {
    name: 'source_id',
    unit: '',
    role: 'id',
    kind: 'any',
    columns: [
      { names: ['source_id', 'dr3_source_id', 'SOURCE_ID'], confidence: 0.95 },
      {
        names: ['Source', 'GaiaDR3', 'Gaia_DR3', 'DR3Name', 'GaiaEDR3', 'Gaia_ID', 'gaia_source_id'],
        confidence: 0.85,
      },
      { names: ['source_ID', 'Gaia', 'dr2_source_id', 'GaiaDR2', 'DR2', 'DR2Name'], confidence: 0.75 },
    ],
    ucd: /^meta\.id;meta\.main$/,
  },
  {
    name: 'ra',
    unit: 'deg',
    role: 'position',
    kind: 'numeric',
    columns: [
      { names: ['ra'], confidence: 0.95, units: DEG },
      {
        names: [
          'RA_ICRS',
          'RAdeg',
          'RAJ2000',
          '_RAJ2000',
          'RA',
          'ra_deg',
          'RA_deg',
          '_RA',
          '_RA_icrs',
          'RAICRS',
        ],
        confidence: 0.85,
        units: DEG,
      },
    ],
    ucd: /^pos\.eq\.ra(;meta\.main)?$/,
  },
  {
    name: 'dec',
    unit: 'deg',
    role: 'position',
    kind: 'numeric',
    columns: [
      { names: ['dec'], confidence: 0.95, units: DEG },
      {
        names: [
          'DE_ICRS',
          'DEdeg',
          'DEJ2000',
          '_DEJ2000',
          'DEC',
          'Dec',
          'dec_deg',
          'DE',
          '_DE',
          '_DE_icrs',
          'DEICRS',
          'Decl',
        ],
        confidence: 0.85,
        units: DEG,
      },
    ],
    ucd: /^pos\.eq\.dec(;meta\.main)?$/,
  },
  {
    name: 'l',
    unit: 'deg',
    role: 'position',
    kind: 'numeric',
    columns: [{ names: ['l', 'GLON', 'glon', '_Glon'], confidence: 0.9, units: DEG }],
    ucd: /^pos\.galactic\.lon/,
  },
  {
    name: 'b',
    unit: 'deg',
    role: 'position',
    kind: 'numeric',
    columns: [{ names: ['b', 'GLAT', 'glat', '_Glat'], confidence: 0.9, units: DEG }],
    ucd: /^pos\.galactic\.lat/,
  },
  {
    name: 'pmra',
    unit: 'mas/yr',
    role: 'astrometry',
    kind: 'numeric',
    columns: [
      { names: ['pmra'], confidence: 0.95, units: PM },
      { names: ['pmRA', 'GaiapmRA', 'pm_ra', 'pmRAcosDE'], confidence: 0.85, units: PM },
    ],
    ucd: /^pos\.pm;pos\.eq\.ra$/,
  },
  {
    name: 'pmra.err',
    unit: 'mas/yr',
    role: 'astrometry',
    kind: 'numeric',
    columns: [
      { names: ['pmra_error'], confidence: 0.95, units: PM },
      { names: ['e_pmRA', 'e_GaiapmRA', 'pm_ra_error'], confidence: 0.85, units: PM },
    ],
  },
  {
    name: 'pmdec',
    unit: 'mas/yr',
    role: 'astrometry',
    kind: 'numeric',
    columns: [
      { names: ['pmdec'], confidence: 0.95, units: PM },
      { names: ['pmDE', 'GaiapmDec', 'pm_dec', 'pmDec'], confidence: 0.85, units: PM },
    ],
    ucd: /^pos\.pm;pos\.eq\.dec$/,
  },
  {
    name: 'pmdec.err',
    unit: 'mas/yr',
    role: 'astrometry',
    kind: 'numeric',
    columns: [
      { names: ['pmdec_error'], confidence: 0.95, units: PM },
      { names: ['e_pmDE', 'e_GaiapmDec', 'pm_dec_error', 'e_pmDec'], confidence: 0.85, units: PM },
    ],
  },
  {
    name: 'gaia.parallax',
    unit: 'mas',
    role: 'astrometry',
    kind: 'numeric',
    columns: [
      { names: ['parallax'], confidence: 0.95, units: MAS },
      { names: ['Plx', 'plx', 'PLX', 'parallax_mas'], confidence: 0.85, units: MAS },
    ],
    ucd: /^pos\.parallax(\.trig)?$/,
  },
  {
    name: 'gaia.parallax.err',
    unit: 'mas',
    role: 'astrometry',
    kind: 'numeric',
    columns: [
      { names: ['parallax_error'], confidence: 0.95, units: MAS },
      { names: ['e_Plx', 'e_plx', 'e_PLX'], confidence: 0.85, units: MAS },
    ],
    derived: [{ expression: 'parallax / parallax_over_error', confidence: 0.85, note: 'σ_ϖ = ϖ / (ϖ/σ_ϖ)' }],
    ucd: /^stat\.error;pos\.parallax/,
  },
  {
    name: 'gaia.ruwe',
    unit: '',
    role: 'astrometry',
    kind: 'numeric',
    columns: [{ names: ['ruwe', 'RUWE'], confidence: 0.95 }],
  },
  {
    name: 'gaia.bp_rp_excess',
    unit: '',
    role: 'flag',
    kind: 'numeric',
    columns: [
      {
        names: ['phot_bp_rp_excess_factor', 'E(BP/RP)', 'E(BR/RP)', 'E_BP_RP_', 'E_BR_RP_'],
        confidence: 0.95,
      },
    ],
  },
  ...gaiaBand('g', 'G', [
    { names: ['Gmag', 'GMAG', 'G_mag', 'Gmag_gaia', 'phot_g_mag'], confidence: 0.85, units: MAG },
    { names: ['G'], confidence: 0.75, units: MAG },
  ]),
  ...gaiaBand('bp', 'BP', [
    { names: ['BPmag', 'GBPmag', 'BP_mag', 'Bpmag', 'phot_bp_mag'], confidence: 0.85, units: MAG },
    { names: ['BP', 'G_BP'], confidence: 0.75, units: MAG },
  ]),
  ...gaiaBand('rp', 'RP', [
    { names: ['RPmag', 'GRPmag', 'RP_mag', 'Rpmag', 'phot_rp_mag'], confidence: 0.85, units: MAG },
    { names: ['RP', 'G_RP'], confidence: 0.75, units: MAG },
  ]),
  ...irBand(
    'tmass',
    'j',
    [
      { names: ['j_m', 'tmass_j_m', 'j_m_2mass'], confidence: 0.95, units: MAG },
      { names: ['Jmag', 'J_mag', 'Jmag_2MASS', 'jmag'], confidence: 0.85, units: MAG },
      { names: ['J'], confidence: 0.75, units: MAG },
    ],
    [
      { names: ['j_msigcom', 'tmass_j_msigcom'], confidence: 0.95, units: MAG },
      { names: ['e_Jmag', 'j_cmsig', 'e_J_mag', 'Jmag_err', 'e_jmag'], confidence: 0.85, units: MAG },
      { names: ['e_J', 'J_err'], confidence: 0.75, units: MAG },
    ],
    { column: 'JFlux', flambda: 3.129e-13, lambda: 1.235 },
    /^phot\.mag;em\.IR\.J$/,
    /^stat\.error;phot\.mag;em\.IR\.J$/,
  ),
  ...irBand(
    'tmass',
    'h',
    [
      { names: ['h_m', 'tmass_h_m', 'h_m_2mass'], confidence: 0.95, units: MAG },
      { names: ['Hmag', 'H_mag', 'Hmag_2MASS', 'hmag'], confidence: 0.85, units: MAG },
      { names: ['H'], confidence: 0.75, units: MAG },
    ],
    [
      { names: ['h_msigcom', 'tmass_h_msigcom'], confidence: 0.95, units: MAG },
      { names: ['e_Hmag', 'h_cmsig', 'e_H_mag', 'Hmag_err', 'e_hmag'], confidence: 0.85, units: MAG },
      { names: ['e_H', 'H_err'], confidence: 0.75, units: MAG },
    ],
    { column: 'HFlux', flambda: 1.133e-13, lambda: 1.662 },
    /^phot\.mag;em\.IR\.H$/,
    /^stat\.error;phot\.mag;em\.IR\.H$/,
  ),
  ...irBand(
    'tmass',
    'ks',
    [
      { names: ['ks_m', 'k_m', 'tmass_ks_m', 'ks_m_2mass'], confidence: 0.95, units: MAG },
      {
        names: ['Ksmag', 'Kmag', 'Ks_mag', 'K_mag', 'Kmag_2MASS', 'ksmag', 'kmag'],
        confidence: 0.85,
        units: MAG,
      },
      { names: ['Ks', 'K'], confidence: 0.75, units: MAG },
    ],
    [
      { names: ['ks_msigcom', 'k_msigcom', 'tmass_ks_msigcom'], confidence: 0.95, units: MAG },
      {
        names: ['e_Ksmag', 'e_Kmag', 'ks_cmsig', 'e_Ks_mag', 'e_K_mag', 'Ksmag_err', 'e_kmag'],
        confidence: 0.85,
        units: MAG,
      },
      { names: ['e_Ks', 'e_K', 'Ks_err', 'K_err'], confidence: 0.75, units: MAG },
    ],
    { column: 'KsFlux', flambda: 4.283e-14, lambda: 2.159 },
    /^phot\.mag;em\.IR\.K$/,
    /^stat\.error;phot\.mag;em\.IR\.K$/,
  ),
  ...(
    [
      ['1', 8.1787e-15, 3.3526, /^phot\.mag;em\.IR\.3-4um$/],
      ['2', 2.415e-15, 4.6028, /^phot\.mag;em\.IR\.4-8um$/],
      ['3', 6.5151e-17, 11.5608, /^phot\.mag[;.]em\.IR\.8-15um$/],
      ['4', 5.0901e-18, 22.0883, /^phot\.mag[;.]em\.IR\.15-30um$/],
    ] as const
  ).flatMap(([n, flambda, lambda, ucd]) =>
    irBand(
      'wise',
      `w${n}`,
      [
        { names: [`w${n}mpro`, `w${n}mpro_pm`, `allwise_w${n}mpro`], confidence: 0.95, units: MAG },
        {
          names: [`W${n}mag`, `W${n}mproPM`, `W${n}_mag`, `w${n}mag`, `W${n}mpro`],
          confidence: 0.85,
          units: MAG,
        },
        { names: [`W${n}`], confidence: 0.75, units: MAG },
      ],
      [
        { names: [`w${n}sigmpro`, `w${n}sigmpro_pm`, `allwise_w${n}sigmpro`], confidence: 0.95, units: MAG },
        {
          names: [`e_W${n}mag`, `e_W${n}mproPM`, `e_W${n}_mag`, `W${n}mag_err`, `e_w${n}mag`],
          confidence: 0.85,
          units: MAG,
        },
        { names: [`e_W${n}`, `W${n}_err`], confidence: 0.75, units: MAG },
      ],
      { column: `W${n}Flux`, flambda, lambda },
      ucd,
      undefined,
    ),
  ),
  {
    name: 'tmass.ph_qual',
    unit: '',
    role: 'flag',
    kind: 'text',
    columns: [
      { names: ['tmass_ph_qual', 'ph_qual_2mass', 'Qflg', 'Qfl'], confidence: 0.95 },
      { names: ['ph_qual'], confidence: 0.85 },
    ],
    flagLength: 3,
  },
  {
    name: 'wise.ph_qual',
    unit: '',
    role: 'flag',
    kind: 'text',
    columns: [
      { names: ['allwise_ph_qual', 'ph_qual_wise', 'qph'], confidence: 0.95 },
      { names: ['ph_qual'], confidence: 0.85 },
    ],
    flagLength: 4,
  },
  {
    name: 'wise.cc_flags',
    unit: '',
    role: 'flag',
    kind: 'text',
    columns: [
      { names: ['cc_flags', 'allwise_cc_flags', 'ccf', 'ccflag'], confidence: 0.95 },
      { names: ['cc_flag', 'cc_flg'], confidence: 0.85 },
    ],
    flagLength: 4,
  },
  {
    name: 'gaia.xp',
    unit: '',
    role: 'spectrum',
    kind: 'any',
    columns: [
      // The continuous spectrum (xp_continuous_mean_spectrum), or sampled spectra on gaiaxpy's grid
      // (336–1020 nm in 2 nm steps: 343 samples) as gaiaxpy's calibrate and Cradle's simulator write them.
      { names: ['bp_coefficients'], confidence: 0.95 },
      { names: ['gaia.xp', 'flux'], confidence: 0.9, arrayLength: 343 },
    ],
  },
  {
    name: 'spectrum.lamost',
    unit: '',
    role: 'spectrum',
    kind: 'any',
    columns: [{ names: ['lamost_obsid', 'obsid', 'lamost_file', 'lamost_spec_file'], confidence: 0.8 }],
  },
  {
    name: 'spectrum.apogee',
    unit: '',
    role: 'spectrum',
    kind: 'any',
    columns: [{ names: ['apogee_id', 'APOGEE_ID', 'apogee_file', 'APOGEE'], confidence: 0.8 }],
  },
  {
    name: 'spectrum.boss',
    unit: '',
    role: 'spectrum',
    kind: 'any',
    columns: [
      { names: ['specobjid', 'boss_specobjid', 'sdss_specobjid', 'SpObjID', 'boss_file'], confidence: 0.8 },
    ],
  },
  // Labels: literature or pipeline values, reported for comparison and never used as model observables
  // (a known parameter is given explicitly instead: `cradle infer --given`, inference/inputs.ts).
  {
    name: 'av',
    unit: 'mag',
    role: 'label',
    kind: 'numeric',
    columns: [{ names: ['Av', 'AV', 'A_V', 'av', 'a_v', 'A_v'], confidence: 0.85, units: MAG }],
  },
  {
    name: 'ak',
    unit: 'mag',
    role: 'label',
    kind: 'numeric',
    columns: [{ names: ['Ak', 'AK', 'A_K', 'ak', 'A_Ks', 'AKs'], confidence: 0.85, units: MAG }],
  },
  {
    name: 'a0',
    unit: 'mag',
    role: 'label',
    kind: 'numeric',
    columns: [{ names: ['azero_gspphot', 'A0', 'a0'], confidence: 0.9, units: MAG }],
  },
  {
    name: 'ag',
    unit: 'mag',
    role: 'label',
    kind: 'numeric',
    columns: [{ names: ['ag_gspphot', 'AG', 'A_G', 'ag_gspphot'], confidence: 0.9, units: MAG }],
  },
  {
    name: 'ebv',
    unit: 'mag',
    role: 'label',
    kind: 'numeric',
    columns: [{ names: ['E(B-V)', 'EBV', 'ebv', 'E_B-V_', 'E_BV'], confidence: 0.85, units: MAG }],
  },
  {
    name: 'e_bp_rp',
    unit: 'mag',
    role: 'label',
    kind: 'numeric',
    columns: [{ names: ['ebpminrp_gspphot', 'E(BP-RP)', 'ebprp'], confidence: 0.9, units: MAG }],
  },
  {
    name: 'log_age',
    unit: 'log10(yr)',
    role: 'label',
    kind: 'numeric',
    columns: [{ names: ['log_age', 'logAge', 'logage', 'logt', 'log_t', 'logAge_yr'], confidence: 0.85 }],
  },
  {
    name: 'age',
    unit: 'Myr',
    role: 'label',
    kind: 'numeric',
    columns: [{ names: ['age', 'Age', 'age_myr', 'Age_Myr', 'AgeMyr'], confidence: 0.8 }],
  },
  {
    name: 'distance_pc',
    unit: 'pc',
    role: 'label',
    kind: 'numeric',
    columns: [
      {
        names: ['r_med_geo', 'r-med-geo', 'rgeo', 'rpgeo', 'Dist', 'dist_pc', 'distance_pc'],
        confidence: 0.8,
        units: ['pc'],
      },
    ],
  },
  {
    name: 'teff',
    unit: 'K',
    role: 'label',
    kind: 'numeric',
    columns: [{ names: ['teff_gspphot', 'Teff', 'teff', 'TEFF', 'Teff_K'], confidence: 0.85 }],
  },
  {
    name: 'mass_init',
    unit: 'solMass',
    role: 'label',
    kind: 'numeric',
    columns: [{ names: ['Mass', 'mass', 'M*', 'Mstar', 'mass_flame'], confidence: 0.7 }],
  },
];

export function quantityDef(name: string): QuantityDef | undefined {
  return QUANTITIES.find((q) => q.name === name);
}
