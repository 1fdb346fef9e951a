// Draws image tiles with WebGL2: each tile is a float texture (R32F) placed at its rectangle in
// image pixels; the fragment shader applies limits, stretch (or the equalisation lookup) and the
// colormap table, and paints NaN in NAN_COLOR. Zoom and pan are one transform from image pixels to
// canvas pixels (y up, as FITS pixel rows run). Stretch formulas mirror scaling.ts.
import { ASINH_A, LOG_A, POWER_A, type Stretch } from './scaling.ts';
import { NAN_COLOR } from './colormaps.ts';

export interface GlTile {
  key: string;
  /** Rectangle in full-resolution image pixels. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Texture size in texels. */
  texWidth: number;
  texHeight: number;
  data: Float32Array;
  level: number;
}

export interface View {
  /** Canvas pixels per image pixel. */
  zoom: number;
  /** Canvas position (CSS pixels, y up from the bottom) of image pixel corner (0, 0). */
  panX: number;
  panY: number;
}

export interface Display {
  vmin: number;
  vmax: number;
  stretch: Stretch;
  colormap: Uint8Array;
  equalisation: Float32Array;
}

const vertexSource = `#version 300 es
in vec2 a_corner;
uniform vec4 u_rect;
uniform vec3 u_view;
uniform vec2 u_canvas;
out vec2 v_uv;
void main() {
  vec2 image = u_rect.xy + a_corner * u_rect.zw;
  vec2 screen = image * u_view.x + u_view.yz;
  gl_Position = vec4(screen / u_canvas * 2.0 - 1.0, 0.0, 1.0);
  v_uv = a_corner;
}`;

const fragmentSource = `#version 300 es
precision highp float;
in vec2 v_uv;
uniform sampler2D u_data;
uniform sampler2D u_colormap;
uniform sampler2D u_equalise;
uniform vec2 u_limits;
uniform int u_stretch;
uniform vec3 u_nan;
out vec4 color;
void main() {
  float v = texture(u_data, v_uv).r;
  if (isnan(v) || isinf(v)) { color = vec4(u_nan, 1.0); return; }
  float span = u_limits.y > u_limits.x ? u_limits.y - u_limits.x : 1.0;
  float x = clamp((v - u_limits.x) / span, 0.0, 1.0);
  float t = x;
  if (u_stretch == 1) t = sqrt(x);
  else if (u_stretch == 2) t = log(${LOG_A.toFixed(1)} * x + 1.0) / log(${(LOG_A + 1).toFixed(1)});
  else if (u_stretch == 3) t = asinh(x / ${ASINH_A.toFixed(2)}) / asinh(1.0 / ${ASINH_A.toFixed(2)});
  else if (u_stretch == 4) t = (pow(${POWER_A.toFixed(1)}, x) - 1.0) / ${(POWER_A - 1).toFixed(1)};
  else if (u_stretch == 5) t = texelFetch(u_equalise, ivec2(min(int(x * 1024.0), 1023), 0), 0).r;
  color = texelFetch(u_colormap, ivec2(int(clamp(t, 0.0, 1.0) * 255.0 + 0.5), 0), 0);
}`;

const stretchCodes: Record<Stretch, number> = { linear: 0, sqrt: 1, log: 2, asinh: 3, power: 4, histeq: 5 };

function compile(gl: WebGL2RenderingContext, type: number, source: string): WebGLShader {
  const shader = gl.createShader(type);
  if (shader === null) throw new Error('WebGL: cannot create a shader');
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) {
    throw new Error(`WebGL shader: ${gl.getShaderInfoLog(shader) ?? 'compile error'}`);
  }
  return shader;
}

export class ImageRenderer {
  private readonly gl: WebGL2RenderingContext;
  private readonly program: WebGLProgram;
  private readonly textures = new Map<string, { texture: WebGLTexture; tile: GlTile }>();
  private readonly colormap: WebGLTexture;
  private readonly equalise: WebGLTexture;
  private readonly uniforms: Record<string, WebGLUniformLocation | null>;

  constructor(readonly canvas: HTMLCanvasElement) {
    const gl = canvas.getContext('webgl2', { preserveDrawingBuffer: true, antialias: false });
    if (gl === null) throw new Error('this browser has no WebGL2, which the image view needs');
    this.gl = gl;
    const program = gl.createProgram();
    gl.attachShader(program, compile(gl, gl.VERTEX_SHADER, vertexSource));
    gl.attachShader(program, compile(gl, gl.FRAGMENT_SHADER, fragmentSource));
    gl.linkProgram(program);
    if (!gl.getProgramParameter(program, gl.LINK_STATUS)) {
      throw new Error(`WebGL program: ${gl.getProgramInfoLog(program) ?? 'link error'}`);
    }
    this.program = program;
    const names = [
      'u_rect',
      'u_view',
      'u_canvas',
      'u_data',
      'u_colormap',
      'u_equalise',
      'u_limits',
      'u_stretch',
      'u_nan',
    ];
    this.uniforms = Object.fromEntries(names.map((name) => [name, gl.getUniformLocation(program, name)]));
    const buffer = gl.createBuffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
    gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([0, 0, 1, 0, 0, 1, 1, 1]), gl.STATIC_DRAW);
    const corner = gl.getAttribLocation(program, 'a_corner');
    gl.enableVertexAttribArray(corner);
    gl.vertexAttribPointer(corner, 2, gl.FLOAT, false, 0, 0);
    this.colormap = this.newTexture();
    this.equalise = this.newTexture();
  }

  private newTexture(): WebGLTexture {
    const gl = this.gl;
    const texture = gl.createTexture();
    gl.bindTexture(gl.TEXTURE_2D, texture);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    return texture;
  }

  /** How many tiles are held whose key does not start with `exceptPrefix`. */
  countTiles(exceptPrefix: string): number {
    let count = 0;
    for (const key of this.textures.keys()) if (!key.startsWith(exceptPrefix)) count++;
    return count;
  }

  hasTile(key: string): boolean {
    return this.textures.has(key);
  }

  addTile(tile: GlTile): void {
    const gl = this.gl;
    const texture = this.newTexture();
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.R32F, tile.texWidth, tile.texHeight, 0, gl.RED, gl.FLOAT, tile.data);
    this.textures.set(tile.key, { texture, tile });
  }

  /** Forget every tile except those `keep` names. */
  prune(keep: (key: string) => boolean): void {
    for (const [key, entry] of this.textures) {
      if (!keep(key)) {
        this.gl.deleteTexture(entry.texture);
        this.textures.delete(key);
      }
    }
  }

  clear(): void {
    this.prune(() => false);
  }

  draw(view: View, display: Display): void {
    const gl = this.gl;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(this.canvas.clientWidth * ratio));
    const height = Math.max(1, Math.round(this.canvas.clientHeight * ratio));
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    gl.viewport(0, 0, width, height);
    gl.clearColor(0.08, 0.09, 0.11, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.useProgram(this.program);
    gl.activeTexture(gl.TEXTURE1);
    gl.bindTexture(gl.TEXTURE_2D, this.colormap);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, 256, 1, 0, gl.RGBA, gl.UNSIGNED_BYTE, display.colormap);
    gl.activeTexture(gl.TEXTURE2);
    gl.bindTexture(gl.TEXTURE_2D, this.equalise);
    gl.texImage2D(
      gl.TEXTURE_2D,
      0,
      gl.R32F,
      display.equalisation.length,
      1,
      0,
      gl.RED,
      gl.FLOAT,
      display.equalisation,
    );
    const u = this.uniforms;
    gl.uniform1i(u['u_data']!, 0);
    gl.uniform1i(u['u_colormap']!, 1);
    gl.uniform1i(u['u_equalise']!, 2);
    gl.uniform2f(u['u_limits']!, display.vmin, display.vmax);
    gl.uniform1i(u['u_stretch']!, stretchCodes[display.stretch]);
    gl.uniform3f(u['u_nan']!, NAN_COLOR[0] / 255, NAN_COLOR[1] / 255, NAN_COLOR[2] / 255);
    gl.uniform2f(u['u_canvas']!, width, height);
    gl.uniform3f(u['u_view']!, view.zoom * ratio, view.panX * ratio, view.panY * ratio);
    gl.activeTexture(gl.TEXTURE0);
    // Coarse levels first, so finer tiles paint over them.
    const ordered = [...this.textures.values()].sort((a, b) => b.tile.level - a.tile.level);
    for (const { texture, tile } of ordered) {
      gl.bindTexture(gl.TEXTURE_2D, texture);
      gl.uniform4f(u['u_rect']!, tile.x, tile.y, tile.width, tile.height);
      gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
    }
  }

  dispose(): void {
    this.clear();
    this.gl.deleteTexture(this.colormap);
    this.gl.deleteTexture(this.equalise);
    this.gl.deleteProgram(this.program);
  }
}
