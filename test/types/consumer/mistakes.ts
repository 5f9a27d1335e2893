// Compiled by test/types/api.test.ts under `tsc --strict` against the package as a user gets it
// ('simdescent' through the exports map). Every @ts-expect-error line is an everyday mistake the
// compiler must catch (an unused @ts-expect-error fails the test); the other lines must compile,
// with the precise result types the asserts below pin down.
import { init, schedule, datasets, split, type History, type OptimizerOptions, type StopReason, type EpochEntry, type LrFinderResult, type SurfaceRaceResult, type DataRaceResult, type LandscapeResult, type SharpnessResult, type BatchStudyResult, type Checkpoint, type BatchInfo } from 'simdescent';
import { learningCurves, raceplot, lrFinderPlot, landscapePlot, batchStudyPlot } from 'simdescent/plot';

/** Compiles only when A and B are the same type (and neither is any). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type IsAny<T> = 0 extends 1 & T ? true : false;
function assertType<T extends true>(): T | void {}

const sd = await init();
const digits = await datasets.digits();
const model = sd.mlp({ layers: [64, 32, 10], activation: 'relu', loss: 'softmaxCrossEntropy', seed: 1 });

// ---- correct code compiles, with precise results ----
const opt = sd.optimizer('adam', { size: 10, lr: 1e-3, beta1: 0.9, amsgrad: true, clipNorm: 1 });
sd.optimizer('sgd', { buffer: model.buffer, lr: 0.1, momentum: 0.9, nesterov: true });
const adamOptions: OptimizerOptions['adam'] = { lr: 3e-3, weightDecay: 1e-4 };
sd.optimizer('adam', { size: 4, ...adamOptions });
const history = await sd.fit(model, digits, {
  optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 },
  schedule: schedule('cosineWarmRestarts', { lr: 0.1, t0: 1, tMult: 2 }),
  scheduleUnit: 'step',
  batchSize: 'full',
  validation: 0.2,
  earlyStopping: { patience: 3, monitor: 'valAccuracy' },
  onBatchEnd: (b) => b.loss < 10,
  onEpochEnd: (e, h) => {
    assertType<Equal<typeof e, EpochEntry>>();
    assertType<Equal<typeof h, History>>();
  },
  onCheckpoint: (c) => {
    assertType<Equal<typeof c, Checkpoint>>();
  },
});
assertType<Equal<typeof history, History>>();
assertType<Equal<typeof history.stopReason, StopReason>>();
const last: EpochEntry | undefined = history.epochs.at(-1);
const valAccuracy: number | undefined = last?.valAccuracy;
if (history.stopReason === 'earlyStopping') console.log(valAccuracy);
const finder = await sd.lrFinder(model, digits, { mode: 'linear', steps: 20, optimizer: { name: 'sgd', momentum: 0.9 } });
assertType<Equal<typeof finder, LrFinderResult>>();
const valley: number | undefined = finder.suggestions.valley?.lr;
const study = await sd.batchStudy(model, digits, { batchSizes: [16, 64], lrScaling: 'sqrt', epochs: 1 });
assertType<Equal<typeof study, BatchStudyResult>>();
const surface = sd.race({ surface: 'rosenbrock', steps: 100, optimizers: ['adam', { name: 'sgd', lr: 1e-3, momentum: 0.9 }] });
assertType<Equal<typeof surface, SurfaceRaceResult>>();
const onData = await sd.race({ data: digits, model: { layers: [64, 10] }, optimizers: [{ name: 'adam', lr: 'find' }], epochs: 1 });
assertType<Equal<typeof onData, DataRaceResult>>();
const land = sd.landscape(model, digits, { dims: 1, steps: 5 });
assertType<Equal<typeof land, LandscapeResult>>();
const sharp = sd.sharpness(model, digits, { radius: 0.1 });
assertType<Equal<typeof sharp, SharpnessResult>>();
const svg: string = learningCurves(history) + raceplot(surface) + raceplot(onData) + lrFinderPlot(finder) + landscapePlot(land) + batchStudyPlot(study);
assertType<Equal<IsAny<typeof history.epochs>, false>>();
assertType<Equal<IsAny<typeof finder.lrs>, false>>();
const s1 = schedule('oneCycle', { lrMax: 0.1, totalSteps: 100 });
const m: number | undefined = s1.momentumAt(3);
// The Keras/Optax/PyTorch ports: their options are typed like the rest.
const swa = schedule('swalr', { swaLr: 0.01, annealStrategy: 'linear', schedule: { schedule: 'cosine', options: { lr: 0.1, tMax: 10 } } });
const chained = schedule('product', { lr: 0.1, schedules: [{ schedule: 'cosine', options: { tMax: 4 } }, { schedule: 'multiStep', options: { milestones: [2] } }] });
const piecewise = schedule('piecewiseConstant', { boundaries: [1, 3], values: [0.1, 0.05, 0.01], boundaryValue: 'before' });
const keras = schedule('exponential', { lr: 0.1, gamma: 0.5, decaySteps: 2, staircase: true, lrEnd: 0.01 });
console.log(swa.lrAt(1), chained.lrAt(1), piecewise.lrAt(1), keras.lrAt(1));
console.log(opt.lr, valley, svg, m);

// ---- everyday mistakes are compile errors ----
// @ts-expect-error a misspelled option
sd.optimizer('adam', { size: 10, betta1: 0.9 });
// @ts-expect-error lr as a string
sd.optimizer('adam', { size: 10, lr: '0.1' });
// @ts-expect-error an unknown optimizer name
sd.optimizer('adamm', { size: 10 });
// @ts-expect-error an option of another optimizer (momentum is SGD's)
sd.optimizer('adam', { size: 10, momentum: 0.9 });
// @ts-expect-error neither buffer nor size
sd.optimizer('adam', { lr: 0.1 });
// @ts-expect-error an unknown schedule name
schedule('cosineAnnealing', { lr: 0.1 });
// @ts-expect-error a misspelled schedule option
schedule('cosine', { lr: 0.1, tmax: 10 });
// @ts-expect-error swalr anneals 'cos' or 'linear', not 'cosine'
schedule('swalr', { swaLr: 0.01, lr: 0.1, annealStrategy: 'cosine' });
// @ts-expect-error piecewise boundaries are numbers
schedule('piecewiseInterpolate', { lr: 0.1, boundaries: ['2', '4'], scales: [3, 0.1] });
// @ts-expect-error staircase is a boolean
schedule('inverseTime', { lr: 0.1, decayRate: 0.5, staircase: 1 });
// @ts-expect-error cosine needs its horizon, tMax
schedule('cosine', { lr: 0.1 });
// @ts-expect-error a schedule needs its options (step: lr and stepSize)
schedule('step');
// @ts-expect-error oneCycle needs totalSteps
schedule('oneCycle', { lrMax: 0.1 });
// @ts-expect-error warmup needs the schedule it warms up to
schedule('warmup', { lr: 0.1, warmupSteps: 5 });
// @ts-expect-error early stopping needs a patience
await sd.fit(model, digits, { earlyStopping: { monitor: 'valLoss' } });
// @ts-expect-error an MLP needs its layers
sd.mlp({ activation: 'relu' });
// @ts-expect-error split needs the validation fraction
split(digits, { seed: 1 });
// @ts-expect-error batchSize 'all' (it is a number or 'full')
await sd.fit(model, digits, { batchSize: 'all' });
// @ts-expect-error a misspelled fit option
await sd.fit(model, digits, { epoch: 3 });
// @ts-expect-error an option of another optimizer inside fit
await sd.fit(model, digits, { optimizer: { name: 'adam', momentum: 0.9 } });
// @ts-expect-error an unknown optimizer name inside fit
await sd.fit(model, digits, { optimizer: { name: 'adamm' } });
// @ts-expect-error the epoch entry has valAccuracy, not valAcc
console.log(history.epochs[0].valAcc);
// @ts-expect-error stopReason never takes 'stopped'
if (history.stopReason === 'stopped') console.log('never');
// @ts-expect-error a wrong activation name
sd.mlp({ layers: [2, 1], activation: 'gelu' });
// @ts-expect-error a wrong loss name
sd.mlp({ layers: [2, 1], loss: 'crossEntropy' });
// @ts-expect-error a wrong surface
sd.race({ surface: 'ackley' });
// @ts-expect-error a wrong scheduleUnit
await sd.fit(model, digits, { scheduleUnit: 'batch' });
// @ts-expect-error a callback with the wrong parameter type
await sd.fit(model, digits, { onEpochEnd: (e: string) => console.log(e) });
// @ts-expect-error onBatchEnd gets a BatchInfo, which has no valLoss
await sd.fit(model, digits, { onBatchEnd: (b: BatchInfo) => console.log(b.valLoss) });
// @ts-expect-error a wrong lrScaling
await sd.batchStudy(model, digits, { lrScaling: 'quadratic' });
// @ts-expect-error a wrong lrFinder mode
await sd.lrFinder(model, digits, { mode: 'exp' });
// @ts-expect-error a wrong early-stopping monitor
await sd.fit(model, digits, { earlyStopping: { patience: 2, monitor: 'accuracy' } });
// @ts-expect-error landscape has 1 or 2 dims
sd.landscape(model, digits, { dims: 3 });
// @ts-expect-error data is a dataset, not an array of rows
await sd.fit(model, [[1, 2]]);
