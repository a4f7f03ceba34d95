// How sure Heal is that a remembered fix works, from its verified and failed applications.

/** Wilson score lower bound (95 %) of the success rate: small samples stay modest. */
export function wilsonLowerBound(successes: number, trials: number, z = 1.96): number {
  if (trials === 0) return 0;
  const p = successes / trials;
  const z2 = z * z;
  return (
    (p + z2 / (2 * trials) - z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / (1 + z2 / trials)
  );
}
