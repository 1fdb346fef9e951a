// The fraction of young stars that still have a circumstellar disc, vs age: the exponential decay
// f(t) = exp(-t/τ) with τ = 5.8 ± 0.3 Myr, the disc lifetime Polnitzky, Ratzenböck, Großschedl & Alves
// (2026, A&A 707, A216, abstract) fit to 33 Sco-Cen clusters of 3–21 Myr. It is chosen over the 2.5 Myr
// that Mamajek (2009, AIP Conf. Proc. 1158, 3) fit to near-IR/L-band excess fractions because it is
// measured the way the simulator's discs are seen: infrared excess in Gaia, 2MASS and WISE, with ages on
// PARSEC isochrones (the simulator's own). The normalisation at t = 0 is 1, as in Mamajek's form. With
// 2.5 Myr a 15 Myr group kept 0.3% of its discs, where Corona Australis's off-cloud members (Esplin &
// Luhman 2022) have 13%; with 5.8 Myr it keeps 7.5%.
export const DISK_DECAY_MYR = 5.8;

/** τ comes from the simulation config (`diskDecayMyr`, DISK_DECAY_MYR by default): the shipped model's
 * training-set config and the demo sky keep the 2.5 Myr that model was trained with. */
export function diskFraction(ageMyr: number, decayMyr: number): number {
  if (!(ageMyr >= 0)) return 0;
  return Math.exp(-ageMyr / decayMyr);
}
