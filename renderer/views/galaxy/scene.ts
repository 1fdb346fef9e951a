// The Galaxy view's three.js scene: the stars as one set of typed GPU buffers in octree order, drawn node
// by node (a draw range each) within a point budget chosen by the camera (lod-select.ts), by a small
// shader (colour = viridis of log age; filtered stars dropped in the vertex stage, so a filter change is
// a uniform update, not a buffer rebuild), the Galactic plane grid, distance rings, the Sun and the
// direction of the Galactic centre; OrbitControls for orbit/pan/zoom; GPU picking through an id pass
// over a small window around the cursor; PNG export at a chosen size. Every GPU resource is disposed.
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { GalaxyOctree, GalaxyStars } from '../../../electron/api/galaxy.ts';
import { bounds, presetPose, type CameraPose, type CameraPreset } from './camera.ts';
import { viridisTable } from './colormap.ts';
import { selectNodes } from './lod-select.ts';

export interface GalaxyFilter {
  /** log10(age/yr) shown as the colormap's ends and kept by the filter. */
  logAgeMin: number;
  logAgeMax: number;
  /** Largest log-age 1σ width kept. */
  logAgeErrorMax: number;
  distanceMinPc: number;
  distanceMaxPc: number;
}

/** Side of the pick window, pixels: the nearest star drawn within it wins. */
export const PICK_WINDOW = 9;

const vertexShader = /* glsl */ `
  attribute float logAge;
  attribute float logAgeError;
  attribute float distancePc;
  attribute float highlight;
  uniform vec2 ageRange;
  uniform float ageErrorMax;
  uniform vec2 distanceRange;
  uniform float pointSize;
  varying float vT;
  varying vec3 vId;
  void main() {
    bool keep = logAge >= ageRange.x && logAge <= ageRange.y && logAgeError <= ageErrorMax
      && distancePc >= distanceRange.x && distancePc <= distanceRange.y;
    vT = (logAge - ageRange.x) / max(ageRange.y - ageRange.x, 1e-6);
    float id = float(gl_VertexID + 1);
    vId = vec3(mod(id, 256.0), mod(floor(id / 256.0), 256.0), floor(id / 65536.0)) / 255.0;
    gl_Position = keep ? projectionMatrix * modelViewMatrix * vec4(position, 1.0) : vec4(2.0, 2.0, 2.0, 1.0);
    gl_PointSize = keep ? pointSize * (highlight > 0.5 ? 2.5 : 1.0) : 0.0;
  }
`;

const colourShader = /* glsl */ `
  uniform sampler2D colormap;
  varying float vT;
  varying vec3 vId;
  void main() {
    gl_FragColor = texture2D(colormap, vec2(clamp(vT, 0.0, 1.0), 0.5));
  }
`;

const idShader = /* glsl */ `
  varying float vT;
  varying vec3 vId;
  void main() {
    gl_FragColor = vec4(vId, 1.0);
  }
`;

export class GalaxyScene {
  readonly camera = new THREE.PerspectiveCamera(50, 1, 0.1, 1e6);
  private readonly renderer: THREE.WebGLRenderer;
  private readonly scene = new THREE.Scene();
  private readonly pickScene = new THREE.Scene();
  private readonly controls: OrbitControls;
  private readonly colormap: THREE.DataTexture;
  private readonly uniforms = {
    ageRange: { value: new THREE.Vector2(6, 10.2) },
    ageErrorMax: { value: 1e9 },
    distanceRange: { value: new THREE.Vector2(0, 1e9) },
    pointSize: { value: 3 },
    colormap: { value: null as THREE.DataTexture | null },
  };
  private readonly material: THREE.ShaderMaterial;
  private readonly pickMaterial: THREE.ShaderMaterial;
  private readonly pickTarget = new THREE.WebGLRenderTarget(PICK_WINDOW, PICK_WINDOW);
  private readonly guides = new THREE.Group();
  private attributes: Record<string, THREE.BufferAttribute> | null = null;
  private octree: GalaxyOctree | null = null;
  /** One Points object per octree node ever drawn (sharing the buffers); shown or hidden by the LOD. */
  private readonly nodeObjects = new Map<number, { points: THREE.Points; pick: THREE.Points }>();
  private lodDirty = true;
  /** Most points drawn at once. */
  pointBudget = 500_000;
  /** Points drawn in the last frame. */
  drawnPoints = 0;
  private frameHandle = 0;
  private centre: [number, number, number] = [0, 0, 0];
  private radius = 1000;
  /** Frames drawn and the mean frame interval (ms) of the last 30, for the status line and tests. */
  frames = 0;
  frameMs = 0;
  private lastFrame = 0;
  private intervalSum = 0;
  private intervalCount = 0;
  onFrame: (() => void) | null = null;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: false, preserveDrawingBuffer: true });
    this.renderer.setClearColor(0x0b0d12, 1);
    this.colormap = new THREE.DataTexture(viridisTable(), 256, 1, THREE.RGBAFormat);
    this.colormap.needsUpdate = true;
    this.uniforms.colormap.value = this.colormap;
    this.material = new THREE.ShaderMaterial({
      uniforms: this.uniforms,
      vertexShader,
      fragmentShader: colourShader,
    });
    this.pickMaterial = new THREE.ShaderMaterial({
      uniforms: this.uniforms,
      vertexShader,
      fragmentShader: idShader,
    });
    this.camera.up.set(0, 0, 1);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = true;
    this.controls.addEventListener('change', () => (this.lodDirty = true));
    this.scene.add(this.guides);
    this.buildGuides(2000);
    const loop = (now: number): void => {
      this.frameHandle = requestAnimationFrame(loop);
      if (this.lastFrame > 0) {
        this.intervalSum += now - this.lastFrame;
        if (++this.intervalCount === 30) {
          this.frameMs = this.intervalSum / 30;
          this.intervalSum = 0;
          this.intervalCount = 0;
        }
      }
      this.lastFrame = now;
      this.resize();
      this.controls.update();
      if (this.lodDirty) this.updateLod();
      this.renderer.render(this.scene, this.camera);
      this.frames++;
      this.onFrame?.();
    };
    this.frameHandle = requestAnimationFrame(loop);
  }

  /** Replaces the stars; the buffers are the typed arrays the engine sent, uploaded once, never per star. */
  setStars(stars: GalaxyStars): void {
    this.disposeStars();
    this.attributes = {
      position: new THREE.BufferAttribute(stars.positions, 3),
      logAge: new THREE.BufferAttribute(stars.logAge, 1),
      logAgeError: new THREE.BufferAttribute(stars.logAgeError, 1),
      distancePc: new THREE.BufferAttribute(stars.distancePc, 1),
      highlight: new THREE.BufferAttribute(new Float32Array(stars.count), 1),
    };
    this.octree = stars.octree;
    const b = bounds(stars.positions);
    this.centre = b.centre;
    this.radius = b.radius;
    this.buildGuides(Math.max(500, Math.hypot(...this.centre) + this.radius));
    this.preset('face-on');
    this.lodDirty = true;
  }

  /** Draws the stars whose label equals `id` larger (null: none). */
  setHighlight(labels: Int32Array | null, id: number | null): void {
    const attribute = this.attributes?.['highlight'];
    if (attribute === undefined) return;
    const values = attribute.array as Float32Array;
    for (let i = 0; i < values.length; i++) values[i] = labels !== null && labels[i] === id ? 1 : 0;
    attribute.needsUpdate = true;
  }

  /** Moves the camera smoothly (0.8 s) to look at `target` from `distance` pc, keeping its direction. */
  flyTo(target: [number, number, number], distance: number): void {
    const fromPosition = this.camera.position.clone();
    const fromTarget = this.controls.target.clone();
    const toTarget = new THREE.Vector3(...target);
    const direction = fromPosition.clone().sub(fromTarget).normalize();
    const toPosition = toTarget.clone().add(direction.multiplyScalar(distance));
    const started = performance.now();
    const step = (): void => {
      const t = Math.min((performance.now() - started) / 800, 1);
      const ease = t * t * (3 - 2 * t);
      this.camera.position.lerpVectors(fromPosition, toPosition, ease);
      this.controls.target.lerpVectors(fromTarget, toTarget, ease);
      this.lodDirty = true;
      if (t < 1) requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  }

  setPointBudget(points: number): void {
    this.pointBudget = points;
    this.lodDirty = true;
  }

  /** Shows the nodes the camera needs within the point budget and hides the rest. */
  private updateLod(): void {
    this.lodDirty = false;
    if (this.octree === null || this.attributes === null) return;
    this.camera.updateMatrixWorld();
    const p = this.camera.position;
    const wanted = selectNodes(
      this.octree,
      {
        position: [p.x, p.y, p.z],
        fovRad: (this.camera.fov * Math.PI) / 180,
        heightPx: Math.max(this.canvas.clientHeight, 1),
      },
      this.pointBudget,
    );
    for (const object of this.nodeObjects.values()) {
      object.points.visible = false;
      object.pick.visible = false;
    }
    let drawn = 0;
    for (const node of wanted) {
      let object = this.nodeObjects.get(node);
      if (object === undefined) {
        const geometry = new THREE.BufferGeometry();
        for (const [name, attribute] of Object.entries(this.attributes))
          geometry.setAttribute(name, attribute);
        geometry.setDrawRange(this.octree.nodeStart[node]!, this.octree.nodePoints[node]!);
        object = {
          points: new THREE.Points(geometry, this.material),
          pick: new THREE.Points(geometry, this.pickMaterial),
        };
        // The octree already limits what is drawn; per-object culling would need a bounds pass per node.
        object.points.frustumCulled = false;
        object.pick.frustumCulled = false;
        this.scene.add(object.points);
        this.pickScene.add(object.pick);
        this.nodeObjects.set(node, object);
      }
      object.points.visible = true;
      object.pick.visible = true;
      drawn += this.octree.nodePoints[node]!;
    }
    this.drawnPoints = drawn;
  }

  setFilter(filter: GalaxyFilter): void {
    this.uniforms.ageRange.value.set(filter.logAgeMin, filter.logAgeMax);
    this.uniforms.ageErrorMax.value = filter.logAgeErrorMax;
    this.uniforms.distanceRange.value.set(filter.distanceMinPc, filter.distanceMaxPc);
  }

  preset(name: CameraPreset): void {
    this.pose(presetPose(name, this.centre, this.radius));
  }

  /** Puts the camera at a pose (presets, fly-to, tests with a fixed camera). */
  pose(pose: CameraPose): void {
    this.camera.fov = pose.fovDeg;
    this.camera.up.set(...pose.up);
    this.camera.position.set(...pose.position);
    this.controls.target.set(...pose.target);
    this.camera.lookAt(...pose.target);
    this.camera.updateProjectionMatrix();
    this.controls.update();
  }

  /** Index of the star drawn nearest to the canvas pixel (CSS px from the top left), or null. */
  pick(x: number, y: number): number | null {
    if (this.attributes === null) return null;
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    const ratio = this.renderer.getPixelRatio();
    const half = Math.floor(PICK_WINDOW / 2);
    const left = Math.round(x * ratio) - half;
    const top = Math.round(y * ratio) - half;
    this.camera.setViewOffset(width * ratio, height * ratio, left, top, PICK_WINDOW, PICK_WINDOW);
    this.renderer.setRenderTarget(this.pickTarget);
    this.renderer.setClearColor(0x000000, 1);
    this.renderer.clear();
    this.renderer.render(this.pickScene, this.camera);
    const pixels = new Uint8Array(PICK_WINDOW * PICK_WINDOW * 4);
    this.renderer.readRenderTargetPixels(this.pickTarget, 0, 0, PICK_WINDOW, PICK_WINDOW, pixels);
    this.renderer.setRenderTarget(null);
    this.renderer.setClearColor(0x0b0d12, 1);
    this.camera.clearViewOffset();
    let best: number | null = null;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let row = 0; row < PICK_WINDOW; row++)
      for (let col = 0; col < PICK_WINDOW; col++) {
        const o = 4 * (row * PICK_WINDOW + col);
        const id = pixels[o]! + 256 * pixels[o + 1]! + 65536 * pixels[o + 2]!;
        if (id === 0) continue;
        // Render targets are read bottom-up.
        const d = (col - half) ** 2 + (PICK_WINDOW - 1 - row - half) ** 2;
        if (d < bestDistance) {
          bestDistance = d;
          best = id - 1;
        }
      }
    return best;
  }

  /** A PNG of the view at width × height pixels. */
  exportPng(width: number, height: number): string {
    const size = this.renderer.getSize(new THREE.Vector2());
    const ratio = this.renderer.getPixelRatio();
    this.renderer.setPixelRatio(1);
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.renderer.render(this.scene, this.camera);
    const url = this.canvas.toDataURL('image/png');
    this.renderer.setPixelRatio(ratio);
    this.renderer.setSize(size.x, size.y, false);
    this.resize(true);
    return url;
  }

  dispose(): void {
    cancelAnimationFrame(this.frameHandle);
    this.controls.dispose();
    this.disposeStars();
    this.disposeGuides();
    this.material.dispose();
    this.pickMaterial.dispose();
    this.colormap.dispose();
    this.pickTarget.dispose();
    this.renderer.dispose();
  }

  private resize(force = false): void {
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    const size = this.renderer.getSize(new THREE.Vector2());
    if (!force && size.x === width && size.y === height) return;
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / Math.max(height, 1);
    this.camera.updateProjectionMatrix();
  }

  private disposeStars(): void {
    // The node geometries share the buffers: dispose them together, once, when the stars go.
    for (const object of this.nodeObjects.values()) {
      this.scene.remove(object.points);
      this.pickScene.remove(object.pick);
      object.points.geometry.dispose();
    }
    this.nodeObjects.clear();
    this.attributes = null;
    this.octree = null;
  }

  private disposeGuides(): void {
    this.guides.traverse((object) => {
      if (object instanceof THREE.Line || object instanceof THREE.Mesh) {
        (object.geometry as THREE.BufferGeometry).dispose();
        (object.material as THREE.Material).dispose();
      }
    });
    this.guides.clear();
  }

  /** Plane grid (Z = 0), rings every 500 pc, the Sun at the origin, an arrow toward the Galactic centre (+X). */
  private buildGuides(extentPc: number): void {
    this.disposeGuides();
    const step = 500;
    const rings = Math.max(1, Math.ceil(extentPc / step));
    const grid = new THREE.GridHelper(2 * rings * step, 2 * rings, 0x2a3140, 0x1a1f29);
    grid.rotation.x = Math.PI / 2;
    this.guides.add(grid);
    for (let r = 1; r <= rings; r++) {
      const curve = new THREE.EllipseCurve(0, 0, r * step, r * step);
      const ring = new THREE.LineLoop(
        new THREE.BufferGeometry().setFromPoints(curve.getPoints(128)),
        new THREE.LineBasicMaterial({ color: 0x3b4760 }),
      );
      this.guides.add(ring);
    }
    const sun = new THREE.Mesh(
      new THREE.SphereGeometry(Math.max(extentPc / 200, 2), 12, 8),
      new THREE.MeshBasicMaterial({ color: 0xffd54a }),
    );
    this.guides.add(sun);
    const arrow = new THREE.ArrowHelper(
      new THREE.Vector3(1, 0, 0),
      new THREE.Vector3(0, 0, 0),
      rings * step,
      0xff7a59,
    );
    this.guides.add(arrow);
  }
}
