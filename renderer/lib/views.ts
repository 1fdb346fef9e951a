// The views on the left rail, their shortcuts, and — for views a later issue builds — what they
// will hold and which issue brings them, so the shell never shows invented content.
import type { ViewName } from '../../electron/api/events.ts';

export interface Planned {
  summary: string;
  features: string[];
  issue: string;
}

export interface ViewInfo {
  name: ViewName;
  label: string;
  /** 1-based position: Ctrl/Cmd + this digit opens the view. */
  key: number;
  planned: Planned | null;
}

export const views: ViewInfo[] = [
  { name: 'files', label: 'Files', key: 1, planned: null },
  { name: 'inspect', label: 'Inspect', key: 2, planned: null },
  { name: 'simulate', label: 'Simulate', key: 3, planned: null },
  { name: 'infer', label: 'Infer', key: 4, planned: null },
  { name: 'galaxy', label: 'Galaxy', key: 5, planned: null },
  { name: 'models', label: 'Models', key: 6, planned: null },
];

export function viewForKey(key: number): ViewInfo | undefined {
  return views.find((view) => view.key === key);
}
