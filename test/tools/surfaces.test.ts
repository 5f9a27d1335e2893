// The race surfaces: analytic gradients against central differences, known minima and
// saddles stationary (and of the right kind), minima values, domains holding their points.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SURFACES, SURFACE_NAMES } from '../../src/tools/surfaces.js';
import { Random } from '../../src/random.js';

const S = suite('tools/surfaces');

const h = 1e-6;
function numGrad(f: (x: number, y: number) => number, x: number, y: number): [number, number] {
  return [(f(x + h, y) - f(x - h, y)) / (2 * h), (f(x, y + h) - f(x, y - h)) / (2 * h)];
}
function hessian(s: (typeof SURFACES)[keyof typeof SURFACES], x: number, y: number): number[] {
  const e = 1e-5;
  const [gxp, gyp] = s.gradient(x + e, y), [gxm, gym] = s.gradient(x - e, y);
  const [, gyq] = s.gradient(x, y + e), [, gyr] = s.gradient(x, y - e);
  // [fxx, fxy, fyy]
  return [(gxp - gxm) / (2 * e), (gyp - gym) / (2 * e), (gyq - gyr) / (2 * e)];
}

S('all seven surfaces, named as in the issue', () => {
  assert.equal([...SURFACE_NAMES], ['rosenbrock', 'beale', 'himmelblau', 'saddle', 'monkeySaddle', 'rastrigin', 'styblinskiTang']);
  for (const n of SURFACE_NAMES) assert.is(SURFACES[n].name, n);
});

for (const name of SURFACE_NAMES) {
  S(`${name}: gradient matches central differences at 200 random points of the domain`, () => {
    const s = SURFACES[name];
    const rng = new Random(7);
    for (let i = 0; i < 200; i++) {
      const x = rng.uniform(s.domain.x[0], s.domain.x[1]);
      const y = rng.uniform(s.domain.y[0], s.domain.y[1]);
      const [ax, ay] = s.gradient(x, y);
      const [nx, ny] = numGrad(s.value, x, y);
      // Central differences have error O(h²·f''') plus rounding ~ |f|·eps/h.
      const tol = 1e-5 * (1 + Math.abs(s.value(x, y)));
      assert.ok(Math.abs(ax - nx) <= tol && Math.abs(ay - ny) <= tol, `${name} at (${x}, ${y}): analytic (${ax}, ${ay}) vs numeric (${nx}, ${ny})`);
    }
  });

  S(`${name}: known minima and saddles are stationary, of the right kind, inside the domain`, () => {
    const s = SURFACES[name];
    const inside = ([x, y]: number[]) => x >= s.domain.x[0] && x <= s.domain.x[1] && y >= s.domain.y[0] && y <= s.domain.y[1];
    for (const m of s.minima) {
      const [gx, gy] = s.gradient(...m.point);
      assert.ok(Math.hypot(gx, gy) < 1e-10, `${name} minimum ${m.point}: |∇f| = ${Math.hypot(gx, gy)}`);
      assert.ok(Math.abs(s.value(...m.point) - m.value) < 1e-10, `${name} minimum value ${s.value(...m.point)} vs ${m.value}`);
      const [a, b, c] = hessian(s, ...m.point);
      assert.ok(a > 0 && a * c - b * b > 0, `${name} minimum ${m.point}: Hessian not positive definite`);
      assert.ok(inside(m.point));
    }
    for (const p of s.localMinima) {
      assert.ok(Math.hypot(...s.gradient(...p)) < 1e-10, `${name} local minimum ${p}`);
      assert.ok(s.value(...p) >= Math.min(...s.minima.map((m) => m.value)), `${name}: a local minimum below the global one`);
    }
    for (const p of s.saddles) {
      const [gx, gy] = s.gradient(...p);
      assert.ok(Math.hypot(gx, gy) < 1e-10, `${name} saddle ${p}: |∇f| = ${Math.hypot(gx, gy)}`);
      const [a, b, c] = hessian(s, ...p);
      // det < 0: indefinite; the monkey saddle is degenerate (Hessian 0) — a saddle of order 3.
      if (name === 'monkeySaddle') assert.ok(Math.abs(a) + Math.abs(b) + Math.abs(c) < 1e-6);
      else assert.ok(a * c - b * b < 0, `${name} saddle ${p}: det H = ${a * c - b * b}`);
      assert.ok(inside(p));
    }
    assert.ok(inside(s.start));
    // Global minima really are the lowest: no grid point of the domain goes below them.
    if (s.minima.length) {
      const lo = s.minima[0].value;
      for (let i = 0; i <= 100; i++)
        for (let j = 0; j <= 100; j++) {
          const x = s.domain.x[0] + ((s.domain.x[1] - s.domain.x[0]) * i) / 100;
          const y = s.domain.y[0] + ((s.domain.y[1] - s.domain.y[0]) * j) / 100;
          assert.ok(s.value(x, y) >= lo - 1e-9, `${name}: f(${x}, ${y}) = ${s.value(x, y)} below the minimum ${lo}`);
        }
    }
  });
}

S('documented values: Styblinski–Tang minimum and Himmelblau has four zeros', () => {
  assert.ok(Math.abs(SURFACES.styblinskiTang.minima[0].value - -78.33233140754282) < 1e-9);
  assert.is(SURFACES.himmelblau.minima.length, 4);
  assert.is(SURFACES.saddle.minima.length, 0);
});

S.run();
