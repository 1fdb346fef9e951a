// What the Infer, Simulate, Galaxy and Star views share while the app runs: the catalogue chosen for
// inference (Simulate hands its output over), the run being shown, the star opened from it, and what
// the Galaxy view shows (a run the Infer view handed over, or the last stars it loaded).
export class InferSelection {
  catalog = $state<string | null>(null);
  runDir = $state<string | null>(null);
  star = $state<{ runDir: string; row: number } | null>(null);
  galaxy = $state<string | null>(null);
}
