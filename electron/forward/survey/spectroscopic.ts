// Which stars the spectroscopic surveys would have observed: a sky footprint, a magnitude window and a
// targeting fraction (surveys observe a subset of what they could). These decide the per-star mask of
// `spectrum.lamost`, `spectrum.apogee` and `spectrum.boss`; the spectra themselves come from the physics
// code at each survey's resolution.
//   LAMOST LRS: Dec > -10°, 9 < G < 17.8 (r-band limit ~17.8; Cui et al. 2012, RAA 12, 1197; Zhao et al.
//     2012, RAA 12, 723); DR8 observed ~10M stars of the ~10^8 in its window → targeting fraction 0.1.
//   APOGEE (DR17): H < 12.2 for the main survey (Majewski et al. 2017, AJ 154, 94; Zasowski et al. 2017,
//     AJ 154, 198), both hemispheres (APO + LCO), preferentially the disc |b| < 30° (fraction 0.05
//     there, 0.01 elsewhere).
//   BOSS/SDSS stellar spectra: the SDSS imaging footprint, approximated as |b| > 30° and Dec > -10°,
//     15 < G < 20.5 (Dawson et al. 2013, AJ 145, 10; SEGUE-2 stars Yanny et al. 2009), fraction 0.02.
export interface SpectroscopicSurvey {
  name: 'spectrum.lamost' | 'spectrum.apogee' | 'spectrum.boss';
  inFootprint(raDeg: number, decDeg: number, lDeg: number, bDeg: number): boolean;
  /** The magnitude the selection is made in, and its window. */
  selectBand: 'gaia.g' | 'tmass.h';
  magMin: number;
  magMax: number;
  fraction(bDeg: number): number;
}

export const SPECTROSCOPIC_SURVEYS: readonly SpectroscopicSurvey[] = [
  {
    name: 'spectrum.lamost',
    inFootprint: (_ra, dec) => dec > -10,
    selectBand: 'gaia.g',
    magMin: 9,
    magMax: 17.8,
    fraction: () => 0.1,
  },
  {
    name: 'spectrum.apogee',
    inFootprint: () => true,
    selectBand: 'tmass.h',
    magMin: 7,
    magMax: 12.2,
    fraction: (b) => (Math.abs(b) < 30 ? 0.05 : 0.01),
  },
  {
    name: 'spectrum.boss',
    inFootprint: (_ra, dec, _l, b) => Math.abs(b) > 30 && dec > -10,
    selectBand: 'gaia.g',
    magMin: 15,
    magMax: 20.5,
    fraction: () => 0.02,
  },
];
