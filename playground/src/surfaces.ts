// Test functions for the optimizer race: value, gradient, a view box and a start where the
// race is interesting. The classic pictures: Rosenbrock's curved valley, Beale's flat
// plateaus, a saddle where plain SGD stalls and momentum escapes, a monkey saddle, Rastrigin's
// grid of local minima.
export interface Surface {
  name: string;
  label: string;
  f(x: number, y: number): number;
  grad(x: number, y: number): [number, number];
  box: [number, number, number, number]; // xmin, xmax, ymin, ymax
  start: [number, number];
  minimum?: [number, number];
  /** Contours on log(f − floor + 1e-3) rather than f. */
  log: boolean;
  floor: number;
}

export const SURFACES: Surface[] = [
  {
    name: 'rosenbrock',
    label: 'Rosenbrock',
    f: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
    grad: (x, y) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
    box: [-2, 2, -1, 3],
    start: [-1.5, 2],
    minimum: [1, 1],
    log: true,
    floor: 0,
  },
  {
    name: 'beale',
    label: 'Beale',
    f: (x, y) => (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y ** 3) ** 2,
    grad: (x, y) => {
      const a = 1.5 - x + x * y;
      const b = 2.25 - x + x * y * y;
      const c = 2.625 - x + x * y ** 3;
      return [2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y ** 3 - 1), 2 * a * x + 4 * b * x * y + 6 * c * x * y * y];
    },
    box: [-4.5, 4.5, -4.5, 4.5],
    start: [1, 1.5],
    minimum: [3, 0.5],
    log: true,
    floor: 0,
  },
  {
    name: 'saddle',
    label: 'Saddle x² − y²',
    f: (x, y) => x * x - y * y,
    grad: (x, y) => [2 * x, -2 * y],
    box: [-2, 2, -2, 2],
    start: [-1.5, 1e-3],
    log: false,
    floor: -4,
  },
  {
    name: 'monkeySaddle',
    label: 'Monkey saddle x³ − 3xy²',
    f: (x, y) => x ** 3 - 3 * x * y * y,
    grad: (x, y) => [3 * x * x - 3 * y * y, -6 * x * y],
    box: [-2, 2, -2, 2],
    start: [1.5, 0.05],
    log: false,
    floor: -8,
  },
  {
    name: 'rastrigin',
    label: 'Rastrigin',
    f: (x, y) => 20 + x * x - 10 * Math.cos(2 * Math.PI * x) + y * y - 10 * Math.cos(2 * Math.PI * y),
    grad: (x, y) => [2 * x + 20 * Math.PI * Math.sin(2 * Math.PI * x), 2 * y + 20 * Math.PI * Math.sin(2 * Math.PI * y)],
    box: [-5.12, 5.12, -5.12, 5.12],
    start: [-4.2, 3.7],
    minimum: [0, 0],
    log: false,
    floor: 0,
  },
  {
    name: 'himmelblau',
    label: 'Himmelblau',
    f: (x, y) => (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2,
    grad: (x, y) => {
      const a = x * x + y - 11;
      const b = x + y * y - 7;
      return [4 * a * x + 2 * b, 2 * a + 4 * b * y];
    },
    box: [-5, 5, -5, 5],
    start: [-0.3, -0.9],
    log: true,
    floor: 0,
  },
];
