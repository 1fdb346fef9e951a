// The fraction of young stars that still have an inner circumstellar disc, vs age: the exponential decay
// f(t) = exp(-t/τ) with τ = 2.5 Myr fitted by Mamajek (2009, AIP Conf. Proc. 1158, 3, Fig. 1) to the
// near-IR/L-band excess fractions of Haisch, Lada & Lada (2001, ApJ 553, L153) and later clusters
// (≈ 80% at 0.5 Myr, 50% at ~2 Myr, a few % by 10 Myr).
export const DISK_DECAY_MYR = 2.5;

export function diskFraction(ageMyr: number): number {
  if (!(ageMyr >= 0)) return 0;
  return Math.exp(-ageMyr / DISK_DECAY_MYR);
}
