// Peak resident memory of this process. On Linux, VmHWM from /proc/self/status: getrusage's maxRSS
// (process.resourceUsage) carries over the parent's resident size at fork into an exec'd child, so a
// child spawned by a large parent would report the parent's size.
import { existsSync, readFileSync } from 'node:fs';

export function peakRssMiB(): number {
  if (existsSync('/proc/self/status')) {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match !== null) return Number(match[1]) / 1024;
  }
  return process.resourceUsage().maxRSS / 1024;
}
