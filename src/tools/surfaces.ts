// Classic 2-D test functions for optimizer races: value and analytic gradient in double
// precision, a plotting domain, a start where the race is interesting, the known global
// minima and the saddle points (the stationary points an optimizer can stall on).
// Sources: Rosenbrock (1960); Beale (1958); Himmelblau (1972); Rastrigin (1974);
// Styblinski & Tang (1990); the points below were refined by Newton's method in f64.

export type Point = [number, number];

export interface Surface {
  readonly name: SurfaceName;
  /** Human-readable title with the formula. */
  readonly label: string;
  value(x: number, y: number): number;
  gradient(x: number, y: number): Point;
  /** The usual plotting window. */
  readonly domain: { readonly x: readonly [number, number]; readonly y: readonly [number, number] };
  /** Where sd.race starts when no `start` is given. */
  readonly start: Point;
  /** Global minima (empty when the surface is unbounded below). */
  readonly minima: readonly { point: Point; value: number }[];
  /** Other local minima worth marking. */
  readonly localMinima: readonly Point[];
  /** Saddle points (stationary, Hessian indefinite); local maxima are not listed. */
  readonly saddles: readonly Point[];
  /** Contour levels read better on log(f − floor + 1) for surfaces spanning many decades. */
  readonly logScale: boolean;
}

export const SURFACE_NAMES = ['rosenbrock', 'beale', 'himmelblau', 'saddle', 'monkeySaddle', 'rastrigin', 'styblinskiTang'] as const;
export type SurfaceName = (typeof SURFACE_NAMES)[number];

const TAU = 2 * Math.PI;
// Roots of the Styblinski–Tang derivative 4x³ − 32x + 5 = 0 (one coordinate).
const ST_MIN = -2.903534027771177;
const ST_LOCAL = 2.746802770990837;
const ST_MAX = 0.1567312567803401;
const st1 = (x: number) => x ** 4 - 16 * x * x + 5 * x;

const defs: Surface[] = [
  {
    name: 'rosenbrock',
    label: 'Rosenbrock (1 − x)² + 100(y − x²)²',
    value: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
    gradient: (x, y) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
    domain: { x: [-2, 2], y: [-1, 3] },
    start: [-1.5, 2],
    minima: [{ point: [1, 1], value: 0 }],
    localMinima: [],
    saddles: [],
    logScale: true,
  },
  {
    name: 'beale',
    label: 'Beale',
    value: (x, y) => (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y ** 3) ** 2,
    gradient: (x, y) => {
      const a = 1.5 - x + x * y;
      const b = 2.25 - x + x * y * y;
      const c = 2.625 - x + x * y ** 3;
      return [2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y ** 3 - 1), 2 * a * x + 4 * b * x * y + 6 * c * x * y * y];
    },
    domain: { x: [-4.5, 4.5], y: [-4.5, 4.5] },
    start: [1, 1.5],
    minima: [{ point: [3, 0.5], value: 0 }],
    localMinima: [],
    // Beale's gradient vanishes along the whole line x = 0 only at y = 1; (0, 1) is a saddle.
    saddles: [[0, 1]],
    logScale: true,
  },
  {
    name: 'himmelblau',
    label: 'Himmelblau (x² + y − 11)² + (x + y² − 7)²',
    value: (x, y) => (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2,
    gradient: (x, y) => {
      const a = x * x + y - 11;
      const b = x + y * y - 7;
      return [4 * x * a + 2 * b, 2 * a + 4 * y * b];
    },
    domain: { x: [-5, 5], y: [-5, 5] },
    // Beside the local maximum (−0.2708, −0.9230): optimizers pick different minima.
    start: [-0.3, -0.9],
    minima: [
      { point: [3, 2], value: 0 },
      { point: [-2.805118086952745, 3.131312518250573], value: 0 },
      { point: [-3.779310253377747, -3.283185991286169], value: 0 },
      { point: [3.5844283403304917, -1.8481265269644034], value: 0 },
    ],
    localMinima: [],
    saddles: [
      [0.08667750455539634, 2.884254701174776],
      [3.385154183607021, 0.07385187983774928],
      [-3.0730257507643897, -0.08135304428796751],
      [-0.12796134673068005, -1.9537149802445766],
    ],
    logScale: true,
  },
  {
    name: 'saddle',
    label: 'Saddle x² − y²',
    value: (x, y) => x * x - y * y,
    gradient: (x, y) => [2 * x, -2 * y],
    domain: { x: [-2, 2], y: [-2, 2] },
    // Almost on the ridge: the y component starts tiny, so escaping takes momentum or adaptivity.
    start: [-1.5, 1e-3],
    minima: [],
    localMinima: [],
    saddles: [[0, 0]],
    logScale: false,
  },
  {
    name: 'monkeySaddle',
    label: 'Monkey saddle x³ − 3xy²',
    value: (x, y) => x ** 3 - 3 * x * y * y,
    gradient: (x, y) => [3 * x * x - 3 * y * y, -6 * x * y],
    domain: { x: [-2, 2], y: [-2, 2] },
    start: [1.5, 1e-3],
    minima: [],
    localMinima: [],
    saddles: [[0, 0]],
    logScale: false,
  },
  {
    name: 'rastrigin',
    label: 'Rastrigin 20 + Σ x² − 10 cos 2πx',
    value: (x, y) => 20 + x * x - 10 * Math.cos(TAU * x) + y * y - 10 * Math.cos(TAU * y),
    gradient: (x, y) => [2 * x + 10 * TAU * Math.sin(TAU * x), 2 * y + 10 * TAU * Math.sin(TAU * y)],
    domain: { x: [-5.12, 5.12], y: [-5.12, 5.12] },
    start: [-2.3, 3.6],
    minima: [{ point: [0, 0], value: 0 }],
    localMinima: [],
    saddles: [],
    logScale: false,
  },
  {
    name: 'styblinskiTang',
    label: 'Styblinski–Tang ½ Σ x⁴ − 16x² + 5x',
    value: (x, y) => 0.5 * (st1(x) + st1(y)),
    gradient: (x, y) => [0.5 * (4 * x ** 3 - 32 * x + 5), 0.5 * (4 * y ** 3 - 32 * y + 5)],
    domain: { x: [-5, 5], y: [-5, 5] },
    // In the basin of the local minimum (2.75, 2.75): does an optimizer find the global one?
    start: [0.5, 0.5],
    minima: [{ point: [ST_MIN, ST_MIN], value: st1(ST_MIN) }],
    localMinima: [
      [ST_MIN, ST_LOCAL],
      [ST_LOCAL, ST_MIN],
      [ST_LOCAL, ST_LOCAL],
    ],
    saddles: [
      [ST_MIN, ST_MAX],
      [ST_MAX, ST_MIN],
      [ST_LOCAL, ST_MAX],
      [ST_MAX, ST_LOCAL],
    ],
    logScale: false,
  },
];

export const SURFACES: Readonly<Record<SurfaceName, Surface>> = Object.freeze(
  Object.fromEntries(defs.map((s) => [s.name, Object.freeze(s)])) as Record<SurfaceName, Surface>,
);

export function isSurfaceName(name: unknown): name is SurfaceName {
  return typeof name === 'string' && (SURFACE_NAMES as readonly string[]).includes(name);
}
