// simdescent bench: what this machine gets — optimizer steps and MLP training throughput on
// the SIMD core, the scalar core and a plain-JavaScript loop, a few seconds in all.
import { Command, Option } from 'commander';
import { init } from '../init.js';
import type { Engine } from '../engine.js';
import { formatCount, formatNumber } from './chart.js';
import { result, UsageError } from './errors.js';
import { intList, num, positiveInt } from './flags.js';
import { simdSupported } from '../wasm.js';

export function benchCommand(): Command {
  return new Command('bench')
    .description('optimizer and MLP training throughput on this machine: SIMD vs scalar core vs plain JavaScript')
    .option('--size <n>', 'parameters updated per optimizer step', positiveInt, 100_000)
    .addOption(new Option('--layers <widths>', 'MLP layer widths').argParser(intList).default([64, 128, 10], '64,128,10'))
    .option('--batch-size <n>', 'MLP rows per step', positiveInt, 32)
    .option('--seconds <s>', 'time per measurement', num, 0.3)
    .option('--json', 'print one JSON document with the results on stdout', false)
    .option('--quiet', 'print nothing but --json output', false)
    .action(async (o) => {
      result.code = await runBench(o);
    });
}

interface Row {
  what: string;
  contender: string;
  perSec: number;
  unit: string;
}

async function runBench(o: Record<string, any>): Promise<number> {
  if (!(o.seconds > 0 && o.seconds <= 60)) throw new UsageError(`--seconds must be in (0, 60], got ${o.seconds}`);
  if (o.layers.length < 2) throw new UsageError(`--layers needs at least two widths, got ${o.layers.join(',')}`);
  const engines: [string, Engine][] = [];
  if (simdSupported()) engines.push(['simdescent SIMD', await init({ simd: true })]);
  engines.push(['simdescent scalar', await init({ simd: false })]);
  const rows: Row[] = [];
  const say = (line: string) => {
    if (!o.json && !o.quiet) process.stdout.write(line + '\n');
  };
  const n = o.size as number;
  say(`Adam step on ${formatCount(n)} params, then MLP ${o.layers.join('-')} batch ${o.batchSize} (forward + backward + Adam), ~${o.seconds}s each\n`);

  for (const [name, sd] of engines) {
    const opt = sd.optimizer('adam', { size: n, lr: 1e-3 });
    const g = opt.grads;
    for (let i = 0; i < n; i++) g[i] = Math.sin(i) * 1e-2;
    rows.push({ what: 'adam step', contender: name, perSec: (rate(() => opt.step(), o.seconds) * n) / 1e6, unit: 'M params/s' });
    opt.dispose();
  }
  // Each contender is checked against simdescent before it is timed.
  const checks: string[] = [];
  {
    const [, sd] = engines[0];
    const opt = sd.optimizer('adam', { size: n, lr: 1e-3 });
    const g = opt.grads;
    for (let i = 0; i < n; i++) g[i] = Math.sin(i) * 1e-2;
    const js = plainAdam(n);
    for (let k = 0; k < 3; k++) {
      opt.step();
      js.step();
    }
    let d = 0;
    const p = opt.params;
    for (let i = 0; i < n; i++) d = Math.max(d, Math.abs(p[i] - js.p[i]));
    checks.push(`adam: plain JS params within ${d.toExponential(1)} of simdescent after 3 steps${d > 1e-6 ? ' (MISMATCH: above 1e-6)' : ''}`);
    opt.dispose();
  }
  rows.push({ what: 'adam step', contender: 'plain JS', perSec: (rate(plainAdam(n).step, o.seconds) * n) / 1e6, unit: 'M params/s' });

  const [x, y] = syntheticBatch(o.layers, o.batchSize);
  for (const [name, sd] of engines) {
    const model = sd.mlp({ layers: o.layers, activation: 'relu', loss: 'softmaxCrossEntropy', seed: 1 });
    const opt = sd.optimizer('adam', { buffer: model.buffer, lr: 1e-3 });
    const sps = rate(() => {
      model.lossAndGrad(x, y, o.batchSize);
      opt.step();
    }, o.seconds) * o.batchSize;
    rows.push({ what: `mlp ${o.layers.join('-')}/b${o.batchSize}`, contender: name, perSec: sps, unit: 'samples/s' });
    opt.dispose();
    model.dispose();
  }
  const ref = engines[0][1].mlp({ layers: o.layers, activation: 'relu', loss: 'softmaxCrossEntropy', seed: 1 });
  const init0 = Float32Array.from(ref.buffer.params);
  const want = ref.lossAndGrad(x, y, o.batchSize);
  ref.dispose();
  const js = plainMlp(o.layers, o.batchSize, x, y, init0);
  const got = js();
  const rel = Math.abs(got - want) / Math.abs(want);
  checks.push(`mlp: plain JS loss ${formatNumber(got)} vs simdescent ${formatNumber(want)} (relative difference ${rel.toExponential(1)}${rel > 1e-5 ? ', MISMATCH: above 1e-5' : ''})`);
  rows.push({ what: `mlp ${o.layers.join('-')}/b${o.batchSize}`, contender: 'plain JS', perSec: rate(js, o.seconds) * o.batchSize, unit: 'samples/s' });

  if (o.json) {
    process.stdout.write(JSON.stringify({ command: 'bench', simd: simdSupported(), node: process.version, size: n, layers: o.layers, batchSize: o.batchSize, rows, checks }) + '\n');
  } else if (!o.quiet) {
    const groups = [...new Set(rows.map((r) => r.what))];
    for (const g of groups) {
      const rs = rows.filter((r) => r.what === g);
      const base = rs.find((r) => r.contender === 'plain JS')!.perSec;
      say(`${g}`);
      for (const r of rs) {
        const value = r.unit === 'samples/s' ? formatCount(r.perSec) : r.perSec.toFixed(1);
        say(`  ${r.contender.padEnd(20)} ${value.padStart(12)} ${r.unit.padEnd(11)} ${(r.perSec / base).toFixed(1).padStart(6)}x plain JS`);
      }
    }
    say('checked before timing:');
    for (const c of checks) say(`  ${c}`);
  }
  return 0;
}

/** Calls per second of `fn`, after a short warm-up, over about `seconds`. */
function rate(fn: () => void, seconds: number): number {
  const warm = performance.now();
  while (performance.now() - warm < Math.min(50, seconds * 200)) fn();
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < seconds * 1000) {
    for (let i = 0; i < 4; i++) fn();
    calls += 4;
    now = performance.now();
  }
  return (calls * 1000) / (now - start);
}

function plainAdam(n: number): { step: () => void; p: Float32Array } {
  const p = new Float32Array(n);
  const g = new Float32Array(n).map((_, i) => Math.sin(i) * 1e-2);
  const m = new Float32Array(n);
  const v = new Float32Array(n);
  const [lr, b1, b2, eps] = [1e-3, 0.9, 0.999, 1e-8];
  let t = 0;
  const step = () => {
    t++;
    const c1 = 1 - b1 ** t;
    const c2 = Math.sqrt(1 - b2 ** t);
    const s = lr / c1;
    for (let i = 0; i < n; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      p[i] -= (s * m[i]) / (Math.sqrt(v[i]) / c2 + eps);
    }
  };
  return { step, p };
}

function syntheticBatch(layers: number[], b: number): [Float32Array, Int32Array] {
  const x = new Float32Array(b * layers[0]).map((_, i) => Math.sin(i * 0.37));
  const y = new Int32Array(b).map((_, i) => i % layers[layers.length - 1]);
  return [x, y];
}

/** A straightforward Float32Array MLP (relu, softmax cross-entropy) with Adam: the baseline. */
function plainMlp(layers: number[], b: number, x: Float32Array, y: Int32Array, init: Float32Array): () => number {
  const L = layers.length - 1;
  // The flat PyTorch layout of sd.mlp: per layer W [out, in] row-major, then b [out].
  let at = 0;
  const W: Float32Array[] = [];
  const B: Float32Array[] = [];
  for (let l = 0; l < L; l++) {
    W.push(init.slice(at, (at += layers[l + 1] * layers[l])));
    B.push(init.slice(at, (at += layers[l + 1])));
  }
  const gW = W.map((w) => new Float32Array(w.length));
  const gB = B.map((v) => new Float32Array(v.length));
  const acts = layers.map((w) => new Float32Array(b * w));
  const deltas = layers.map((w) => new Float32Array(b * w));
  const adams = [...W, ...B].map((p, i) => {
    const g = [...gW, ...gB][i];
    return { p, g, m: new Float32Array(p.length), v: new Float32Array(p.length) };
  });
  let t = 0;
  return () => {
    acts[0].set(x);
    for (let l = 0; l < L; l++) {
      const nin = layers[l];
      const nout = layers[l + 1];
      const a = acts[l];
      const z = acts[l + 1];
      const w = W[l];
      const bias = B[l];
      const hidden = l < L - 1;
      for (let r = 0; r < b; r++) {
        for (let o = 0; o < nout; o++) {
          let s = bias[o];
          for (let i = 0; i < nin; i++) s += a[r * nin + i] * w[o * nin + i];
          z[r * nout + o] = hidden && s < 0 ? 0 : s;
        }
      }
    }
    // Softmax cross-entropy gradient at the logits.
    const C = layers[L];
    const out = acts[L];
    const d = deltas[L];
    let loss = 0;
    for (let r = 0; r < b; r++) {
      let mx = -Infinity;
      for (let c = 0; c < C; c++) mx = Math.max(mx, out[r * C + c]);
      let s = 0;
      for (let c = 0; c < C; c++) s += Math.exp(out[r * C + c] - mx);
      loss += Math.log(s) - (out[r * C + y[r]] - mx);
      for (let c = 0; c < C; c++) d[r * C + c] = (Math.exp(out[r * C + c] - mx) / s - (c === y[r] ? 1 : 0)) / b;
    }
    for (let l = L - 1; l >= 0; l--) {
      const nin = layers[l];
      const nout = layers[l + 1];
      const a = acts[l];
      const dz = deltas[l + 1];
      const w = W[l];
      const gw = gW[l];
      const gb = gB[l];
      gw.fill(0);
      gb.fill(0);
      for (let r = 0; r < b; r++) {
        for (let o = 0; o < nout; o++) {
          const g = dz[r * nout + o];
          gb[o] += g;
          for (let i = 0; i < nin; i++) gw[o * nin + i] += g * a[r * nin + i];
        }
      }
      if (l > 0) {
        const da = deltas[l];
        for (let r = 0; r < b; r++) {
          for (let i = 0; i < nin; i++) {
            let s = 0;
            for (let o = 0; o < nout; o++) s += dz[r * nout + o] * w[o * nin + i];
            da[r * nin + i] = a[r * nin + i] > 0 ? s : 0;
          }
        }
      }
    }
    t++;
    const c1 = 1 - 0.9 ** t;
    const c2 = Math.sqrt(1 - 0.999 ** t);
    for (const { p, g, m, v } of adams) {
      for (let i = 0; i < p.length; i++) {
        m[i] = 0.9 * m[i] + 0.1 * g[i];
        v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
        p[i] -= ((1e-3 / c1) * m[i]) / (Math.sqrt(v[i]) / c2 + 1e-8);
      }
    }
    return loss / b;
  };
}
