// Names users bring from PyTorch, Keras and Optax, mapped to ours. The library only *suggests*
// them (didYouMean in src/options.ts: "unknown schedule 'CosineAnnealingLR' (did you mean
// 'cosine'?)"); the CLI accepts them (src/cli/names.ts). Keys are normalised (see normalise);
// a synonym is offered only where its target is one of the names the caller knows.

/** Lower case without '_', '-', spaces and dots: 'CosineAnnealingLR', 'cosine_annealing_lr' → 'cosineannealinglr'. */
export function normalise(word: string): string {
  return word.toLowerCase().replace(/[\s_.-]+/g, '');
}

export const SYNONYMS: Readonly<Record<string, string>> = {
  // Schedules: PyTorch torch.optim.lr_scheduler classes and Keras/Optax decay names.
  cosineannealing: 'cosine',
  cosineannealinglr: 'cosine',
  cosinedecay: 'cosine',
  cosineannealingwarmrestarts: 'cosineWarmRestarts',
  cosinedecayrestarts: 'cosineWarmRestarts',
  warmrestarts: 'cosineWarmRestarts',
  sgdr: 'cosineWarmRestarts',
  steplr: 'step',
  stepdecay: 'step',
  multisteplr: 'multiStep',
  exponentiallr: 'exponential',
  exponentialdecay: 'exponential',
  inversetimedecay: 'inverseTime',
  polynomiallr: 'polynomial',
  polynomialdecay: 'polynomial',
  linearlr: 'linear',
  cycliclr: 'cyclic',
  onecyclelr: 'oneCycle',
  '1cycle': 'oneCycle',
  reducelronplateau: 'plateau',
  sequentiallr: 'sequential',
  // Losses: PyTorch nn.*Loss / functional names, Keras loss names.
  crossentropy: 'softmaxCrossEntropy',
  crossentropyloss: 'softmaxCrossEntropy',
  ce: 'softmaxCrossEntropy',
  categoricalcrossentropy: 'softmaxCrossEntropy',
  sparsecategoricalcrossentropy: 'softmaxCrossEntropy',
  softmax: 'softmaxCrossEntropy',
  mseloss: 'mse',
  meansquarederror: 'mse',
  l2: 'mse',
  bce: 'sigmoidBinaryCrossEntropy',
  bceloss: 'sigmoidBinaryCrossEntropy',
  bcewithlogits: 'sigmoidBinaryCrossEntropy',
  bcewithlogitsloss: 'sigmoidBinaryCrossEntropy',
  binarycrossentropy: 'sigmoidBinaryCrossEntropy',
  binarycrossentropywithlogits: 'sigmoidBinaryCrossEntropy',
  sigmoidcrossentropy: 'sigmoidBinaryCrossEntropy',
  // Activations.
  identity: 'linear',
  // Metrics early stopping monitors (Keras callbacks: monitor='val_loss').
  valacc: 'valAccuracy',
  accuracy: 'valAccuracy',
  trainloss: 'loss',
  // Option keys and flags: PyTorch/Keras spellings of ours.
  learningrate: 'lr',
  initiallearningrate: 'lr',
  epsilon: 'eps',
  numepochs: 'epochs',
  nepochs: 'epochs',
  maxepochs: 'epochs',
  bs: 'batchSize',
  validationsplit: 'validation',
  optim: 'optimizer',
  scheduler: 'schedule',
  lrscheduler: 'schedule',
  etamin: 'lrMin',
  minlr: 'lrMin',
  maxlr: 'lrMax',
  baselr: 'lrMin',
};

/**
 * The known name `word` means: itself, the one known name equal to it up to case and
 * separators, or its synonym when that is known. undefined otherwise.
 */
export function resolveName(word: string, known: readonly string[]): string | undefined {
  if (known.includes(word)) return word;
  const n = normalise(word);
  const same = known.filter((k) => normalise(k) === n);
  if (same.length === 1) return same[0];
  const syn = SYNONYMS[n];
  if (syn !== undefined) {
    const hit = known.find((k) => k === syn || normalise(k) === normalise(syn));
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** [synonym, known name] for every synonym whose target is known (for suggestions). */
export function synonymsOf(known: readonly string[]): [synonym: string, name: string][] {
  const out: [string, string][] = [];
  for (const [syn, target] of Object.entries(SYNONYMS)) {
    const hit = known.find((k) => normalise(k) === normalise(target));
    if (hit !== undefined) out.push([syn, hit]);
  }
  return out;
}
