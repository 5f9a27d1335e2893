// A second, independent copy of the threads bench's gradient work, for the machine's ceiling:
// its own single-thread engine and model, run in a worker thread while the flag word is 1.
import { parentPort, workerData } from 'node:worker_threads';
import { gradientWork } from './threads.bench.mjs';

const { flag, layers, batch } = workerData;
const work = await gradientWork(layers, batch);
parentPort.postMessage('ready');
// Its own per-batch times too: the two cores of a VM need not be equally fast.
const times = [];
for (;;) {
  Atomics.wait(flag, 0, 0);
  if (Atomics.load(flag, 1)) break;
  while (Atomics.load(flag, 0) === 1 && !Atomics.load(flag, 1)) {
    const t = performance.now();
    work.serial();
    times.push(performance.now() - t);
  }
}
times.sort((a, b) => a - b);
parentPort.postMessage({ medianMs: times[times.length >> 1] });
// Exit once the message is out (process.exit in a worker could drop it).
parentPort.close();
