// Camera presets for the Galaxy view, as plain numbers so tests can place the same camera: face-on
// (looking down from the north Galactic pole), edge-on (from the −Y side, in the plane) and from the
// Sun (at the origin, looking at the stars' centre). Z is up; units are pc.
export type CameraPreset = 'face-on' | 'edge-on' | 'from-sun';

export interface CameraPose {
  position: [number, number, number];
  target: [number, number, number];
  up: [number, number, number];
  fovDeg: number;
}

export const CAMERA_FOV_DEG = 50;

/** The pose of a preset for data with this centre and radius (pc). */
export function presetPose(
  preset: CameraPreset,
  centre: [number, number, number],
  radius: number,
): CameraPose {
  const span = (Math.max(radius, 10) * 1.2) / Math.tan((CAMERA_FOV_DEG * Math.PI) / 360);
  const [cx, cy, cz] = centre;
  switch (preset) {
    case 'face-on':
      return { position: [cx, cy, cz + span], target: centre, up: [1, 0, 0], fovDeg: CAMERA_FOV_DEG };
    case 'edge-on':
      return { position: [cx, cy - span, cz], target: centre, up: [0, 0, 1], fovDeg: CAMERA_FOV_DEG };
    case 'from-sun':
      return { position: [0, 0, 0], target: centre, up: [0, 0, 1], fovDeg: CAMERA_FOV_DEG };
  }
}

/** Centre and radius (pc) of the finite positions, for framing. */
export function bounds(positions: Float32Array): { centre: [number, number, number]; radius: number } {
  let n = 0;
  const sum = [0, 0, 0];
  for (let i = 0; i < positions.length; i += 3) {
    const x = positions[i]!;
    if (!Number.isFinite(x)) continue;
    sum[0]! += x;
    sum[1]! += positions[i + 1]!;
    sum[2]! += positions[i + 2]!;
    n++;
  }
  const centre: [number, number, number] = n === 0 ? [0, 0, 0] : [sum[0]! / n, sum[1]! / n, sum[2]! / n];
  const radius2 = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < positions.length; i += 3) {
    const x = positions[i]!;
    if (!Number.isFinite(x)) continue;
    radius2[k++] =
      (x - centre[0]) ** 2 + (positions[i + 1]! - centre[1]) ** 2 + (positions[i + 2]! - centre[2]) ** 2;
  }
  radius2.sort();
  // The 95th percentile: a few far field stars should not shrink the view of the rest.
  const radius = radius2.length === 0 ? 100 : Math.sqrt(radius2[Math.floor(0.95 * (radius2.length - 1))]!);
  return { centre, radius };
}
