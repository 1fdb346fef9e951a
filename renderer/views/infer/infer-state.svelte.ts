// What the Infer, Simulate and Star views share while the app runs: the catalogue chosen for
// inference (Simulate hands its output over), the run being shown, and the star opened from it.
export class InferSelection {
  catalog = $state<string | null>(null);
  runDir = $state<string | null>(null);
  star = $state<{ runDir: string; row: number } | null>(null);
}
