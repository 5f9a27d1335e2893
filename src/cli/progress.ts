// Training progress: a cli-progress bar per epoch on a terminal (batches, loss, lr,
// samples/s, ETA), one plain line per epoch otherwise, nothing with --quiet or --json.
import cliProgress from 'cli-progress';
import { formatCount, formatLr, formatNumber } from './chart.js';

export type ProgressMode = 'bar' | 'lines' | 'quiet';

export interface EpochLine {
  epoch: number;
  loss: number;
  valLoss?: number;
  valAccuracy?: number;
  lr: number;
  ms: number;
  samplesPerSec?: number;
}

export function progressMode(o: { quiet?: boolean; json?: boolean }, stream: NodeJS.WriteStream = process.stdout): ProgressMode {
  if (o.quiet || o.json) return 'quiet';
  return stream.isTTY ? 'bar' : 'lines';
}

export class EpochProgress {
  private bar?: cliProgress.SingleBar;
  private started = 0;
  private rows = 0;
  private lossSum = 0;
  private epoch = 0;

  constructor(
    readonly mode: ProgressMode,
    readonly epochs: number,
    private readonly out: NodeJS.WriteStream = process.stdout,
  ) {}

  batch(info: { epoch: number; batch: number; batches: number; loss: number; lr: number; size: number }): void {
    if (this.mode !== 'bar') return;
    if (!this.bar || info.epoch !== this.epoch) this.begin(info.epoch, info.batches);
    this.rows += info.size;
    this.lossSum += info.loss * info.size;
    const secs = (performance.now() - this.started) / 1000;
    this.bar!.update(info.batch + 1, {
      loss: formatNumber(this.lossSum / this.rows),
      lr: formatLr(info.lr),
      sps: formatCount(secs > 0 ? this.rows / secs : 0),
    });
  }

  epochEnd(e: EpochLine): void {
    if (this.mode === 'quiet') return;
    if (this.bar) {
      this.bar.stop();
      this.bar = undefined;
    }
    this.out.write(`${epochLine(e, this.epochs)}\n`);
  }

  /** Close a bar left open by an interrupted epoch. */
  stop(): void {
    if (this.bar) {
      this.bar.stop();
      this.bar = undefined;
    }
  }

  private begin(epoch: number, batches: number): void {
    this.stop();
    this.epoch = epoch;
    this.rows = 0;
    this.lossSum = 0;
    this.started = performance.now();
    const width = String(this.epochs).length;
    this.bar = new cliProgress.SingleBar(
      {
        format: `epoch ${String(epoch).padStart(width)}/${this.epochs} {bar} {value}/{total} | loss {loss} | lr {lr} | {sps} samples/s | ETA {eta_formatted}`,
        stream: this.out,
        hideCursor: true,
        clearOnComplete: true,
        barsize: 24,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(batches, 0, { loss: '…', lr: '…', sps: '…' });
  }
}

export function epochLine(e: EpochLine, epochs: number): string {
  const w = String(epochs).length;
  const parts = [`epoch ${String(e.epoch).padStart(w)}/${epochs}`, `loss ${formatNumber(e.loss)}`];
  if (e.valLoss !== undefined) parts.push(`val_loss ${formatNumber(e.valLoss)}`);
  if (e.valAccuracy !== undefined) parts.push(`val_acc ${(e.valAccuracy * 100).toFixed(1)}%`);
  parts.push(`lr ${formatLr(e.lr)}`);
  if (e.samplesPerSec !== undefined) parts.push(`${formatCount(e.samplesPerSec)} samples/s`);
  parts.push(e.ms < 1000 ? `${Math.round(e.ms)}ms` : `${(e.ms / 1000).toFixed(2)}s`);
  return parts.join('  ');
}
