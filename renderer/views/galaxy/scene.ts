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
  /** Smallest P(age < 50 Myr) kept; stars with no probability (−1) are kept only at −1. */
  pYoungMin: number;
}

/** How a star's distance uncertainty is drawn: not at all, as a larger point, or as a fainter one. */
export type UncertaintyStyle = 'none' | 'size' | 'alpha';

/** The filter as a test on one star's values (the shader's rule, for selections made on the CPU). */
export function keeps(
  filter: GalaxyFilter,
  logAge: number,
  logAgeError: number,
  distancePc: number,
  pYoung: number,
): boolean {
  return (
    logAge >= filter.logAgeMin &&
    logAge <= filter.logAgeMax &&
    logAgeError <= filter.logAgeErrorMax &&
    distancePc >= filter.distanceMinPc &&
    distancePc <= filter.distanceMaxPc &&
    pYoung >= filter.pYoungMin
  );
}

/** Side of the pick window, pixels: the nearest star drawn within it wins. */
export const PICK_WINDOW = 9;

const vertexShader = /* glsl */ `
  attribute float logAge;
  attribute float logAgeError;
  attribute float distancePc;
  attribute float distanceErrorPc;
  attribute float pYoung;
  attribute float highlight;
  uniform vec2 ageRange;
  uniform float ageErrorMax;
  uniform vec2 distanceRange;
  uniform float pYoungMin;
  uniform float pointSize;
  uniform int uncertainty;
  varying float vT;
  varying float vAlpha;
  varying vec3 vId;
  void main() {
    bool keep = logAge >= ageRange.x && logAge <= ageRange.y && logAgeError <= ageErrorMax
      && distancePc >= distanceRange.x && distancePc <= distanceRange.y && pYoung >= pYoungMin;
    vT = (logAge - ageRange.x) / max(ageRange.y - ageRange.x, 1e-6);
    float id = float(gl_VertexID + 1);
    vId = vec3(mod(id, 256.0), mod(floor(id / 256.0), 256.0), floor(id / 65536.0)) / 255.0;
    // Relative distance error: 0 draws as usual; 20% or more is the largest (size) or faintest (alpha).
    float relative = clamp(distanceErrorPc / max(distancePc, 1e-6) / 0.2, 0.0, 1.0);
    float size = pointSize * (highlight > 0.5 ? 2.5 : 1.0) * (uncertainty == 1 ? 1.0 + 2.0 * relative : 1.0);
    vAlpha = uncertainty == 2 ? 1.0 - 0.8 * relative : 1.0;
    gl_Position = keep ? projectionMatrix * modelViewMatrix * vec4(position, 1.0) : vec4(2.0, 2.0, 2.0, 1.0);
    gl_PointSize = keep ? size : 0.0;
  }
`;

const colourShader = /* glsl */ `
  uniform sampler2D colormap;
  varying float vT;
  varying float vAlpha;
  varying vec3 vId;
  void main() {
    gl_FragColor = vec4(texture2D(colormap, vec2(clamp(vT, 0.0, 1.0), 0.5)).rgb, vAlpha);
  }
`;

const idShader = /* glsl */ `
  varying float vT;
  varying float vAlpha;
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
    pYoungMin: { value: -1 },
    pointSize: { value: 3 },
    uncertainty: { value: 0 },
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
      distanceErrorPc: new THREE.BufferAttribute(stars.distanceErrorPc, 1),
      pYoung: new THREE.BufferAttribute(stars.pYoung, 1),
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
    this.setHighlighted(labels === null ? null : (i) => labels[i] === id);
  }

  /** Draws the stars for which `chosen` holds larger (null: none). */
  setHighlighted(chosen: ((star: number) => boolean) | null): void {
    const attribute = this.attributes?.['highlight'];
    if (attribute === undefined) return;
    const values = attribute.array as Float32Array;
    for (let i = 0; i < values.length; i++) values[i] = chosen !== null && chosen(i) ? 1 : 0;
    attribute.needsUpdate = true;
  }

  /** Orbit/pan/zoom on or off (off while a selection box is dragged). */
  setControlsEnabled(enabled: boolean): void {
    this.controls.enabled = enabled;
  }

  setUncertaintyStyle(style: UncertaintyStyle): void {
    this.uniforms.uncertainty.value = style === 'size' ? 1 : style === 'alpha' ? 2 : 0;
    // Blending only when alpha carries the uncertainty: it costs fill rate on a software rasteriser.
    const blend = style === 'alpha';
    if (this.material.transparent !== blend) {
      this.material.transparent = blend;
      this.material.depthWrite = !blend;
      this.material.needsUpdate = true;
    }
  }

  /**
   * Stars drawn inside a rectangle of the canvas (CSS px, corners in any order) that pass `filter`:
   * positions projected with the current camera on the CPU, so the answer is every star, not only
   * those the level of detail draws now.
   */
  starsInRect(
    stars: GalaxyStars,
    filter: GalaxyFilter,
    a: [number, number],
    b: [number, number],
  ): Uint32Array {
    const width = Math.max(this.canvas.clientWidth, 1);
    const height = Math.max(this.canvas.clientHeight, 1);
    const [x0, x1] = [Math.min(a[0], b[0]), Math.max(a[0], b[0])].map((x) => (2 * x) / width - 1);
    const [y0, y1] = [Math.min(a[1], b[1]), Math.max(a[1], b[1])].map((y) => 1 - (2 * y) / height);
    this.camera.updateMatrixWorld();
    const m = new THREE.Matrix4().multiplyMatrices(
      this.camera.projectionMatrix,
      this.camera.matrixWorldInverse,
    ).elements;
    const found: number[] = [];
    const p = stars.positions;
    for (let i = 0; i < stars.count; i++) {
      const x = p[3 * i]!;
      const y = p[3 * i + 1]!;
      const z = p[3 * i + 2]!;
      const w = m[3] * x + m[7] * y + m[11] * z + m[15];
      if (!(w > 0)) continue;
      const sx = (m[0] * x + m[4] * y + m[8] * z + m[12]) / w;
      const sy = (m[1] * x + m[5] * y + m[9] * z + m[13]) / w;
      if (sx < x0! || sx > x1! || sy < y1! || sy > y0!) continue;
      if (keeps(filter, stars.logAge[i]!, stars.logAgeError[i]!, stars.distancePc[i]!, stars.pYoung[i]!))
        found.push(i);
    }
    return Uint32Array.from(found);
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
    this.uniforms.pYoungMin.value = filter.pYoungMin;
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
      } else if (object instanceof THREE.Sprite) {
        object.material.map?.dispose();
        object.material.dispose();
      }
    });
    this.guides.clear();
  }

  /**
   * Plane grid (Z = 0), rings every 500 pc (or a coarser round step) labelled in pc, the Sun at the
   * origin, the X axis as an arrow toward the Galactic centre and the Y and Z axes, each labelled.
   */
  private buildGuides(extentPc: number): void {
    this.disposeGuides();
    const step = ringStepPc(extentPc);
    const rings = Math.max(1, Math.ceil(extentPc / step));
    const grid = new THREE.GridHelper(2 * rings * step, 2 * rings, 0x2a3140, 0x1a1f29);
    grid.rotation.x = Math.PI / 2;
    this.guides.add(grid);
    const labelEvery = Math.ceil(rings / 8);
    for (let r = 1; r <= rings; r++) {
      const curve = new THREE.EllipseCurve(0, 0, r * step, r * step);
      const ring = new THREE.LineLoop(
        new THREE.BufferGeometry().setFromPoints(curve.getPoints(128)),
        new THREE.LineBasicMaterial({ color: 0x3b4760 }),
      );
      this.guides.add(ring);
      if (r % labelEvery === 0) {
        // Toward l = 135°: clear of the axis labels (X, Y and Z all lie at l = 0° or 90°).
        const angle = (135 * Math.PI) / 180;
        this.guides.add(
          textSprite(`${(r * step).toLocaleString('en')} pc`, GUIDE_TEXT, [
            r * step * Math.cos(angle),
            r * step * Math.sin(angle),
            0,
          ]),
        );
      }
    }
    const sun = new THREE.Mesh(
      new THREE.SphereGeometry(Math.max(extentPc / 200, 2), 12, 8),
      new THREE.MeshBasicMaterial({ color: 0xffd54a }),
    );
    this.guides.add(sun);
    const length = rings * step;
    const arrow = new THREE.ArrowHelper(
      new THREE.Vector3(1, 0, 0),
      new THREE.Vector3(0, 0, 0),
      length,
      0xff7a59,
    );
    this.guides.add(arrow);
    for (const axis of [new THREE.Vector3(0, 1, 0), new THREE.Vector3(0, 0, 1)]) {
      const line = new THREE.Line(
        new THREE.BufferGeometry().setFromPoints([new THREE.Vector3(), axis.clone().multiplyScalar(length)]),
        new THREE.LineBasicMaterial({ color: 0x8090a8 }),
      );
      this.guides.add(line);
    }
    // Axis labels one ring out from the Sun: the far ends are often outside a view framed on the stars.
    this.guides.add(textSprite('X → Galactic centre (l = 0°)', 0xff7a59, [step, 0, 0]));
    this.guides.add(textSprite('Y (l = 90°)', GUIDE_TEXT, [0, step, 0]));
    this.guides.add(textSprite('Z ↑ north Galactic pole', GUIDE_TEXT, [0, 0, step]));
    this.guides.add(textSprite('Sun', 0xffd54a, [0, 0, 0], [-0.1, 1.2]));
  }
}

/** Colour of the guide labels: a pale grey, unsaturated so it never reads as an age colour. */
const GUIDE_TEXT = 0xc8d0e0;

/** Rings every 500 pc up to 5 kpc out, then a round step that keeps about ten rings. */
export function ringStepPc(extentPc: number): number {
  if (extentPc <= 5000) return 500;
  const raw = extentPc / 10;
  const decade = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((f) => f * decade).find((s) => s >= raw) ?? 10 * decade;
}

/** A text label at a point of the scene that keeps its size on screen (about 3.5% of the view's height). */
function textSprite(
  text: string,
  colour: number,
  at: [number, number, number],
  /** Where the point falls on the label (0–1 across, 0–1 up): by default its left middle. */
  anchor: [number, number] = [0, 0.5],
): THREE.Sprite {
  const font = 28;
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d')!;
  context.font = `${font}px system-ui, sans-serif`;
  canvas.width = Math.ceil(context.measureText(text).width) + 8;
  canvas.height = Math.ceil(font * 1.3);
  context.font = `${font}px system-ui, sans-serif`;
  context.fillStyle = `#${colour.toString(16).padStart(6, '0')}`;
  context.textBaseline = 'middle';
  context.fillText(text, 4, canvas.height / 2);
  const texture = new THREE.CanvasTexture(canvas);
  texture.colorSpace = THREE.SRGBColorSpace;
  const material = new THREE.SpriteMaterial({
    map: texture,
    sizeAttenuation: false,
    depthTest: false,
    transparent: true,
  });
  const sprite = new THREE.Sprite(material);
  const height = 0.035;
  sprite.scale.set((height * canvas.width) / canvas.height, height, 1);
  sprite.center.set(...anchor);
  sprite.position.set(...at);
  sprite.renderOrder = 1;
  sprite.name = text;
  return sprite;
}
