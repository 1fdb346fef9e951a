// The views on the left rail and their shortcuts.
import type { ViewName } from '../../electron/api/events.ts';

export interface ViewInfo {
  name: ViewName;
  label: string;
  /** 1-based position: Ctrl/Cmd + this digit opens the view. */
  key: number;
}

export const views: ViewInfo[] = [
  { name: 'files', label: 'Files', key: 1 },
  { name: 'inspect', label: 'Inspect', key: 2 },
  { name: 'simulate', label: 'Simulate', key: 3 },
  { name: 'infer', label: 'Infer', key: 4 },
  { name: 'galaxy', label: 'Galaxy', key: 5 },
  { name: 'models', label: 'Models', key: 6 },
];

export function viewForKey(key: number): ViewInfo | undefined {
  return views.find((view) => view.key === key);
}
