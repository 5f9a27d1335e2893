// bench/fit-overhead: what fit() costs per batch beyond the work itself. One epoch of
// 64-128-10 (ReLU, softmax cross-entropy, Adam) at batch 32 over 4096 synthetic rows, shuffled,
// two ways on the same engine, data, optimizer and order: sd.fit (epochs: 1, the optimizer
// passed in, its default divergence guard on) and a hand-written loop — permute, gather the
// batch's rows, model.lossAndGrad, opt.step — and the same loop on the model's staging area. Both runs' params are checked bit for bit before
// anything is timed. Reported: samples/s of each and fit ÷ loop per round (median, min, max).
//   node bench/fit-overhead.bench.mjs [--quick]
import { interleaved, loadSimdescent, machine, median, writeResult } from './_lib.mjs';

const ROWS = 4096;
const BATCH = 32;
const LAYERS = [64, 128, 10];

export async function runFitOverhead({ rounds = 7, maxTime = 0.6, write = true } = {}) {
  const sd = await loadSimdescent();
  const eng = await sd.init();
  const data = sd.datasets.blobs({ count: ROWS, features: LAYERS[0], classes: LAYERS[2], seed: 3 });
  const model = eng.mlp({ layers: LAYERS, activation: 'relu', loss: 'softmaxCrossEntropy', seed: 1 });
  const params0 = model.buffer.params.slice();
  const opt = eng.optimizer('adam', { buffer: model.buffer, lr: 1e-3 });
  const f = data.features;
  const xb = new Float32Array(BATCH * f);
  const yb = new Int32Array(BATCH);
  let seed = 0;
  // Every timed epoch starts from the same params and optimizer state: repeated epochs on a
  // converged model would make the guard's loss ratios noise (it then stops fit as diverged).
  let fresh;
  const reset = () => {
    model.buffer.params.set(params0);
    opt.loadState(fresh);
  };

  // Every timed call must run the whole epoch (a guard that stopped early would flatter fit).
  const fitEpoch = async () => {
    reset();
    const h = await eng.fit(model, data, { optimizer: opt, epochs: 1, batchSize: BATCH, seed: seed++, historyEvery: 0 });
    if (h.stopReason !== 'completed') throw new Error(`fit-overhead: fit stopped early (${h.stopReason})`);
  };
  const loopEpoch = () => {
    reset();
    const order = new sd.Random(seed++, 'shuffle').permutation(ROWS);
    for (let start = 0; start < ROWS; start += BATCH) {
      const n = Math.min(BATCH, ROWS - start);
      for (let i = 0; i < n; i++) {
        const r = order[start + i];
        xb.set(data.x.subarray(r * f, (r + 1) * f), i * f);
        yb[i] = data.y[r];
      }
      model.lossAndGrad(n === BATCH ? xb : xb.subarray(0, n * f), n === BATCH ? yb : yb.subarray(0, n), n);
      opt.step();
    }
  };

  // The same loop on the model's staging area (stage + gatherRows + lossAndGradStaged): fit's
  // own work with none of its bookkeeping, the floor fit's per-batch cost is measured against.
  const stagedEpoch = () => {
    reset();
    const order = new sd.Random(seed++, 'shuffle').permutation(ROWS);
    for (let start = 0; start < ROWS; start += BATCH) {
      const end = Math.min(start + BATCH, ROWS);
      const st = model.stage(end - start);
      sd.gatherRows(data, order, start, end, st.x, st.y);
      model.lossAndGradStaged(end - start);
      opt.step();
    }
  };

  // Same start, same seed: the same bits after an epoch each way.
  const runOnce = async (how) => {
    seed = 42;
    await how();
    return model.buffer.params.slice();
  };
  fresh = opt.saveState();
  const a = await runOnce(fitEpoch);
  const b = await runOnce(loopEpoch);
  const c = await runOnce(stagedEpoch);
  const same = (u, v) => u.length === v.length && u.every((x, i) => Object.is(x, v[i]));
  if (!same(a, b) || !same(a, c)) throw new Error('fit-overhead: fit and the hand loops disagree after one epoch');

  const res = await interleaved(
    `fit vs hand loop, ${LAYERS.join('-')}/b${BATCH}, ${ROWS} rows`,
    [
      { name: 'sd.fit', fn: fitEpoch },
      { name: 'hand loop', fn: loopEpoch },
      { name: 'staged loop', fn: stagedEpoch },
    ],
    { rounds, maxTime },
  );
  const ratios = res['sd.fit'].roundMedians.map((t, i) => res['hand loop'].roundMedians[i] / t);
  const stagedRatios = res['sd.fit'].roundMedians.map((t, i) => res['staged loop'].roundMedians[i] / t);
  const out = {
    machine: machine(),
    shape: { layers: LAYERS, batch: BATCH, rows: ROWS },
    samplesPerSec: { fit: ROWS / res['sd.fit'].secondsPerCall, loop: ROWS / res['hand loop'].secondsPerCall, staged: ROWS / res['staged loop'].secondsPerCall },
    ratio: { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), rounds: ratios },
    ratioToStaged: { median: median(stagedRatios), min: Math.min(...stagedRatios), max: Math.max(...stagedRatios), rounds: stagedRatios },
  };
  console.log(
    `fit ${out.samplesPerSec.fit.toFixed(0)} samples/s, loop ${out.samplesPerSec.loop.toFixed(0)} samples/s; ` +
      `fit/loop median ${out.ratio.median.toFixed(3)} (min ${out.ratio.min.toFixed(3)}, max ${out.ratio.max.toFixed(3)}, ${ratios.length} rounds); ` +
      `fit/staged loop median ${out.ratioToStaged.median.toFixed(3)} (min ${out.ratioToStaged.min.toFixed(3)}, max ${out.ratioToStaged.max.toFixed(3)})`,
  );
  if (write) writeResult('fit-overhead', out);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  await runFitOverhead(quick ? { rounds: 1, maxTime: 0.2, write: false } : { write: false });
}
