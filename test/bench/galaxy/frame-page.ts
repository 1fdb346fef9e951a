/// <reference lib="dom" />
// Browser side of the Galaxy frame-time benchmark (bundled by bench.ts with esbuild): N random stars
// drawn by the Galaxy view's scene (octree + point budget) or by one plain THREE.Points with a basic
// material, timing a number of frames with the renderer's own draw and a GPU sync (readPixels).
import * as THREE from 'three';
import type { GalaxyStars } from '../../../electron/api/galaxy.ts';
import { buildOctree, reorder } from '../../../electron/galaxy/lod.ts';
import { GalaxyScene } from '../../../renderer/views/galaxy/scene.ts';

function stars(count: number): { positions: Float32Array; logAge: Float32Array } {
  let state = 99;
  const random = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const positions = new Float32Array(3 * count);
  const logAge = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const r = 3000 * Math.cbrt(random());
    const u = 2 * random() - 1;
    const phi = 2 * Math.PI * random();
    const s = Math.sqrt(1 - u * u);
    positions[3 * i] = r * s * Math.cos(phi);
    positions[3 * i + 1] = r * s * Math.sin(phi);
    positions[3 * i + 2] = 0.1 * r * u;
    logAge[i] = 6 + 4 * random();
  }
  return { positions, logAge };
}

function sync(gl: WebGLRenderingContext): void {
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
}

async function timeGalaxy(count: number, frames: number): Promise<number> {
  const canvas = document.createElement('canvas');
  canvas.style.cssText = 'width:960px;height:640px;display:block';
  document.body.append(canvas);
  const { positions, logAge } = stars(count);
  const tree = buildOctree(positions);
  const zeros = new Float32Array(tree.order.length);
  const data: GalaxyStars = {
    path: 'bench',
    source: 'catalogue',
    runDir: null,
    count: tree.order.length,
    unplaced: 0,
    positions: reorder(positions, tree.order, 3),
    logAge: reorder(logAge, tree.order),
    logAgeError: zeros,
    distancePc: zeros,
    distanceErrorPc: zeros,
    vLKms: zeros,
    vBKms: zeros,
    sourceId: new BigInt64Array(tree.order.length),
    inputRow: null,
    pYoung: zeros,
    outsideTraining: zeros,
    colour: zeros,
    absMag: zeros,
    truthCluster: null,
    octree: tree,
  };
  const scene = new GalaxyScene(canvas);
  scene.setStars(data);
  scene.setFilter({
    logAgeMin: 6,
    logAgeMax: 10,
    logAgeErrorMax: 1,
    distanceMinPc: 0,
    distanceMaxPc: 1e9,
    pYoungMin: -1,
  });
  const start = scene.frames;
  await new Promise<void>((resolve) => {
    const wait = (): void =>
      scene.frames >= start + frames + 2 ? resolve() : void requestAnimationFrame(wait);
    wait();
  });
  const ms = scene.frameMs;
  scene.dispose();
  canvas.remove();
  return ms;
}

function timePlain(count: number, frames: number): number {
  const canvas = document.createElement('canvas');
  canvas.width = 960;
  canvas.height = 640;
  document.body.append(canvas);
  const renderer = new THREE.WebGLRenderer({ canvas });
  const { positions, logAge } = stars(count);
  const colours = new Float32Array(3 * count);
  for (let i = 0; i < count; i++) colours.set([(logAge[i]! - 6) / 4, 0.5, 0.5], 3 * i);
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.BufferAttribute(positions, 3));
  geometry.setAttribute('color', new THREE.BufferAttribute(colours, 3));
  const material = new THREE.PointsMaterial({ size: 3, sizeAttenuation: false, vertexColors: true });
  const scene = new THREE.Scene();
  scene.add(new THREE.Points(geometry, material));
  const camera = new THREE.PerspectiveCamera(50, 1.5, 0.1, 1e6);
  camera.position.set(0, 0, 8000);
  camera.lookAt(0, 0, 0);
  const gl = renderer.getContext();
  renderer.render(scene, camera);
  sync(gl);
  const t0 = performance.now();
  for (let f = 0; f < frames; f++) {
    camera.position.x = f;
    renderer.render(scene, camera);
    sync(gl);
  }
  const ms = (performance.now() - t0) / frames;
  geometry.dispose();
  material.dispose();
  renderer.dispose();
  canvas.remove();
  return ms;
}

(window as unknown as { galaxyBench: unknown }).galaxyBench = { timeGalaxy, timePlain };
