// What the Infer, Simulate, Galaxy and Star views share while the app runs: the catalogue chosen for
// inference (Simulate hands its output over), the run being shown, the star opened from it, and the
// run the Infer view asked the Galaxy view to show.
export class InferSelection {
  catalog = $state<string | null>(null);
  runDir = $state<string | null>(null);
  star = $state<{ runDir: string; row: number } | null>(null);
  galaxy = $state<string | null>(null);
}
