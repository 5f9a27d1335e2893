// train.py as exportTorch writes it: one script for PyTorch >= 1.13 with nothing else to
// install, kept here as a string so the library (Node and browsers alike) can hand it over.
// Python source inside String.raw: it must not contain a backtick or a dollar-brace.
export const TRAIN_PY: string = String.raw`#!/usr/bin/env python3
"""Continue a simdescent run in PyTorch (written by 'simdescent export-torch').

  python3 train.py --epochs N --out F.safetensors
  torchrun --standalone --nproc_per_node K train.py --epochs N --out F.safetensors

Reads model.safetensors (parameters under torch.nn.Sequential names, optimizer state as
optimizer.state_dict() names it, the run's settings in the metadata) and data.json (the CSV,
its preprocessing and simdescent's train/validation/test rows) from this script's directory,
trains until epoch N with simdescent's batch order and learning-rate schedule, and writes F
with the same names, ready for 'simdescent import-torch F --run A --out C'.

Under torchrun each of simdescent's batches is split across the ranks in contiguous slices and
each rank's summed loss is scaled by world_size / batch_rows, so DistributedDataParallel's mean
of the ranks' gradients is the gradient of the whole batch's mean loss for any world size and
any uneven split (no DistributedSampler: its padding would repeat rows and change the mean).
Needs PyTorch >= 1.13 and nothing else.
"""
import argparse
import json
import math
import os
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FORMAT = 'simdescent-torch/1'


def fail(msg, code=2):
    sys.stderr.write('train.py: ' + msg + '\n')
    sys.exit(code)


try:
    import torch
    import torch.nn as nn
except ImportError:
    fail('PyTorch is not installed (python3 -m pip install torch, or apt-get install python3-torch)')


def torch_version():
    parts = []
    for p in torch.__version__.split('+')[0].split('.')[:2]:
        digits = ''.join(c for c in p if c.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


if torch_version() < (1, 13):
    fail('PyTorch %s is too old: this script needs PyTorch >= 1.13 (the optimizers\' tensor step state, NAdam\'s mu_product)' % torch.__version__)


# ---------------------------------------------------------------- safetensors (F32 only)

def read_safetensors(path):
    with open(path, 'rb') as f:
        raw = f.read()
    if len(raw) < 8:
        fail('%s is not a safetensors file (%d bytes)' % (path, len(raw)))
    (n,) = struct.unpack('<Q', raw[:8])
    if n > 100000000 or 8 + n > len(raw):
        fail('%s is not a safetensors file (bad header length)' % path)
    header = json.loads(raw[8:8 + n].decode('utf-8'))
    meta = header.pop('__metadata__', {}) or {}
    base = 8 + n
    tensors = {}
    for name, e in header.items():
        if e['dtype'] != 'F32':
            fail('%s: tensor %s has dtype %s; only F32 is supported' % (path, name, e['dtype']))
        b, end = e['data_offsets']
        count = 1
        for d in e['shape']:
            count *= d
        if end - b != 4 * count or base + end > len(raw):
            fail('%s: tensor %s has inconsistent data_offsets' % (path, name))
        data = bytearray(raw[base + b:base + end])
        t = torch.frombuffer(data, dtype=torch.float32) if count else torch.zeros(0, dtype=torch.float32)
        if sys.byteorder != 'little':
            t = t.byteswap()
        tensors[name] = t.reshape(e['shape']).clone()
    return tensors, meta


def write_safetensors(path, tensors, meta):
    header = {'__metadata__': meta}
    off = 0
    blobs = []
    for name, t in tensors.items():
        t = t.detach().to('cpu', torch.float32).contiguous()
        b = t.numpy().astype('<f4').tobytes() if t.numel() else b''
        header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [off, off + len(b)]}
        off += len(b)
        blobs.append(b)
    js = json.dumps(header, separators=(',', ':')).encode('utf-8')
    js += b' ' * ((8 - len(js) % 8) % 8)
    tmp = path + '.tmp%d' % os.getpid()
    with open(tmp, 'wb') as f:
        f.write(struct.pack('<Q', len(js)))
        f.write(js)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


# ---------------------------------------------------------------- simdescent's RNG (src/random.ts)

M32 = 0xffffffff


class Random:
    """xoshiro128** with u32 arithmetic, as src/random.ts: the same state, the same draws."""

    def __init__(self, state):
        self.s = [int(v) & M32 for v in state]

    def next_u32(self):
        s = self.s
        x = (s[1] * 5) & M32
        result = (((x << 7) | (x >> 25)) & M32) * 9 & M32
        t = (s[1] << 9) & M32
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = ((s[3] << 11) | (s[3] >> 21)) & M32
        return result

    def int(self, n):
        if n <= 0x100000000:
            limit = 0x100000000 - (0x100000000 % n)
            while True:
                x = self.next_u32()
                if x < limit:
                    return x % n
        hi = self.next_u32() >> 5
        lo = self.next_u32() >> 6
        return int(math.floor((hi * 67108864 + lo) / 9007199254740992 * n))

    def permutation(self, n):
        p = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.int(i + 1)
            p[i], p[j] = p[j], p[i]
        return p


# ---------------------------------------------------------------- data

# Cells read as missing, as src/data/preprocess.ts reads them.
MISSING = {'', 'NA', 'N/A', 'NaN', 'nan', '-NaN', 'null', 'NULL', 'None', '#N/A', '?'}
MISSING_CATEGORY = '(missing)'


def js_number(s):
    """float(s) for the numbers src/data/preprocess.ts accepts (decimal, optional exponent)."""
    t = s.strip()
    if not t or t.lower().lstrip('+-') in ('inf', 'infinity', 'nan') or '_' in t or t.lower().startswith(('0x', '+0x', '-0x')):
        raise ValueError('%r is not a number' % s)
    return float(t)


def js_str(v):
    """String(Number(s)) in JavaScript, for integral class labels ('1.0' names class '1')."""
    if v.is_integer() and abs(v) < 1e21:
        return str(int(v))
    return repr(v)


def preprocess(names, rows, p):
    """simdescent's fitted preprocessor (preprocessor.json, 'simdescent-preprocessor/1') applied
    to the CSV's rows, as Preprocessor.transform in src/data/preprocess.ts does: numeric columns
    -> (v - mean) / std in float64 rounded to float32, a missing cell taking the training median
    (and a 1 in its indicator input); text columns -> one-hot over the training categories; the
    label -> class ids in the saved order, or (y - mean) / std for regression.
    Returns (x [n, inputs] float32, y: int64 class ids or float32 [n, 1])."""
    if p.get('format') != 'simdescent-preprocessor/1':
        raise ValueError('unknown preprocessor format %r' % p.get('format'))
    index = {n: j for j, n in enumerate(names)}
    for c in [c['name'] for c in p['columns']] + [p['label']]:
        if c not in index:
            raise ValueError('the CSV has no column %r' % c)
    cols = []  # float64 input columns in p['inputs'] order
    for c in p['columns']:
        cells = [row[index[c['name']]].strip() for row in rows]
        if c['kind'] == 'numeric':
            miss = [v in MISSING for v in cells]
            vals = torch.tensor([c['median'] if m else js_number(v) for v, m in zip(cells, miss)], dtype=torch.float64)
            cols.append((vals - c['mean']) / c['std'])
            if c['indicator']:
                cols.append(torch.tensor(miss, dtype=torch.float64))
        else:
            at = {cat: k for k, cat in enumerate(c['categories'])}
            hot = torch.zeros((len(rows), len(at)), dtype=torch.float64)
            for r, v in enumerate(cells):
                k = at.get(MISSING_CATEGORY if v in MISSING else v)
                if k is not None:  # a category unseen in training: all its inputs 0
                    hot[r, k] = 1.0
            cols.extend(hot.unbind(1))
    if len(cols) != len(p['inputs']):
        raise ValueError('the preprocessor makes %d inputs, its inputs list names %d' % (len(cols), len(p['inputs'])))
    x = torch.stack(cols, dim=1) if cols else torch.zeros((len(rows), 0), dtype=torch.float64)
    x = x.to(torch.float32)
    lc = index[p['label']]
    raw = [row[lc].strip() for row in rows]
    if p['task'] == 'classification':
        classes = p['classes']
        ids = {c: i for i, c in enumerate(classes)}
        numeric = all(_is_number(c) for c in classes)
        y = []
        for r, v in enumerate(raw):
            key = js_str(js_number(v)) if numeric and _is_number(v) else v
            if key not in ids:
                raise ValueError('row %d: label %r is not one of the classes %s' % (r + 1, v, ', '.join(classes)))
            y.append(ids[key])
        y = torch.tensor(y, dtype=torch.int64)
    else:
        t = p['target']
        y = torch.tensor([[(js_number(v) - t['mean']) / t['std']] for v in raw], dtype=torch.float64).to(torch.float32)
    return x, y


def _is_number(s):
    try:
        js_number(s)
        return True
    except ValueError:
        return False


def load_data(spec, csv_override, here):
    if spec.get('inline'):
        # The rows themselves (exportTorch given datasets): data.safetensors beside the model.
        tensors, _ = read_safetensors(os.path.join(here, spec['inline']))
        parts = {}
        for part in ('train', 'validation', 'test'):
            if part + '.x' in tensors:
                y = tensors[part + '.y']
                parts[part] = (tensors[part + '.x'], y.to(torch.int64) if spec['task'] == 'classification' else y)
        return parts
    import csv
    import io
    path = csv_override or spec['csv']
    if not os.path.exists(path):
        fail('cannot read the data file %s (pass --data PATH)' % path)
    with open(path, newline='', encoding='utf-8') as f:
        text = f.read()
    if text.startswith('\ufeff'):
        text = text[1:]
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=spec.get('delimiter', ','))]
    rows = [r for r in rows if not (len(r) == 0 or (len(r) == 1 and r[0].strip() == ''))]
    # The data are the file's last spec['rows'] records: before them a header, or scikit-learn's count line.
    if len(rows) < spec['rows']:
        fail('%s has %d records; the run was trained on %d rows (is it the same file?)' % (path, len(rows), spec['rows']))
    rows = rows[len(rows) - spec['rows']:]
    names = spec['names']
    if any(len(r) != len(names) for r in rows):
        fail('%s: a row does not have the %d columns the run was trained on (is it the same file?)' % (path, len(names)))
    ids = spec.get('idNames')
    if ids:
        for r in rows:
            r[-1] = ids[int(r[-1].strip())]
    try:
        x, y = preprocess(names, rows, spec['preprocessor'])
    except (ValueError, KeyError, IndexError) as e:
        fail('%s: %s' % (path, e))
    parts = {}
    for part in ('train', 'validation', 'test'):
        idx = spec['split'].get(part)
        if idx:
            i = torch.tensor(idx, dtype=torch.int64)
            parts[part] = (x[i], y[i])
    return parts


# ---------------------------------------------------------------- model

ACTIVATIONS = {'relu': nn.ReLU, 'tanh': nn.Tanh, 'sigmoid': nn.Sigmoid, 'linear': nn.Identity}


def build_mlp(layers, activation):
    mods = []
    for l in range(len(layers) - 1):
        mods.append(nn.Linear(layers[l], layers[l + 1]))
        if l + 2 < len(layers):
            mods.append(ACTIVATIONS[activation]())
    return nn.Sequential(*mods)


def row_losses(loss, out, y):
    """Per-row loss as simdescent defines it: mean over outputs for mse and BCE."""
    if loss == 'softmaxCrossEntropy':
        return nn.functional.cross_entropy(out, y, reduction='none')
    if loss == 'mse':
        return ((out - y) ** 2).mean(dim=1)
    t = y.to(out.dtype).reshape(out.shape) if y.dtype != out.dtype else y
    return nn.functional.binary_cross_entropy_with_logits(out, t, reduction='none').mean(dim=1)


def batch_loss(loss, out, y):
    """The batch's mean loss in PyTorch's own reduction (what a PyTorch user would write)."""
    if loss == 'softmaxCrossEntropy':
        return nn.functional.cross_entropy(out, y)
    if loss == 'mse':
        return nn.functional.mse_loss(out, y)
    t = y.to(out.dtype).reshape(out.shape) if y.dtype != out.dtype else y
    return nn.functional.binary_cross_entropy_with_logits(out, t)


def targets(loss, outputs, y):
    if loss == 'mse' and y.dtype == torch.int64:
        return nn.functional.one_hot(y, outputs).to(torch.float32)
    if loss == 'sigmoidBinaryCrossEntropy' and y.dtype == torch.int64:
        return nn.functional.one_hot(y, outputs).to(torch.float32) if outputs > 1 else y.to(torch.float32).reshape(-1, 1)
    return y


def evaluate(model, loss, x, y):
    with torch.no_grad():
        out = model(x)
        r = row_losses(loss, out, y)
        res = {'loss': float(r.double().sum()) / x.shape[0]}
        if loss == 'softmaxCrossEntropy':
            res['accuracy'] = float((out.argmax(dim=1) == y).double().mean())
        elif loss == 'sigmoidBinaryCrossEntropy':
            res['accuracy'] = float(((out >= 0) == (y >= 0.5)).all(dim=1).double().mean())
    return res


# ---------------------------------------------------------------- optimizers PyTorch lacks

class Elementwise(torch.optim.Optimizer):
    """An element-wise rule simdescent has and torch.optim lacks: state 'step' (a float tensor,
    as torch.optim keeps it) plus the zero-initialised tensors in keys; update(p, g, s, o, t)
    applies one step to parameter p with gradient g, state s, group options o at step t."""
    keys = ()

    @torch.no_grad()
    def step(self, closure=None):
        for o in self.param_groups:
            for p in o['params']:
                if p.grad is None:
                    continue
                s = self.state[p]
                if not s:
                    s['step'] = torch.tensor(0.0)
                    for k in self.keys:
                        s[k] = torch.zeros_like(p)
                s['step'] += 1
                self.update(p, p.grad, s, o, int(s['step'].item()))


class EmaMomentum(Elementwise):
    """simdescent's EMA momentum: v <- beta*v + (1-beta)*g; p <- p - lr/(1-beta^t)*v (bias
    correction optional), in float32 as assembly/optim/momentum.ts."""
    keys = ('velocity',)

    def __init__(self, params, lr=1e-2, beta=0.9, biasCorrection=True):
        super().__init__(params, dict(lr=lr, beta=beta, biasCorrection=biasCorrection))

    def update(self, p, g, s, o, t):
        b = o['beta']
        c = -o['lr'] / (1 - b ** t) if o['biasCorrection'] else -o['lr']
        v = s['velocity']
        v.mul_(b).add_(g, alpha=1 - b)
        p.add_(v, alpha=c)


class Lion(Elementwise):
    """Lion (Chen et al., 2023) as assembly/optim/lion.ts: c = b1*m + (1-b1)*g;
    p <- p*(1 - lr*wd) - lr*sign(c); m <- b2*m + (1-b2)*g."""
    keys = ('exp_avg',)

    def __init__(self, params, lr=1e-4, beta1=0.9, beta2=0.99, weightDecay=0.0):
        super().__init__(params, dict(lr=lr, beta1=beta1, beta2=beta2, weightDecay=weightDecay))

    def update(self, p, g, s, o, t):
        m = s['exp_avg']
        c = m * o['beta1'] + g * (1 - o['beta1'])
        if o['weightDecay'] != 0:
            p.mul_(1 - o['lr'] * o['weightDecay'])
        p.add_(torch.sign(c), alpha=-o['lr'])
        m.mul_(o['beta2']).add_(g, alpha=1 - o['beta2'])


class Lamb(torch.optim.Optimizer):
    """LAMB (You et al., 2020) as assembly/optim/lamb.ts: every parameter together as one
    layer, r = m_hat / (sqrt(v_hat) + eps) + wd*p, p <- p - lr*(||p|| / ||r||)*r."""

    def __init__(self, params, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-6, weightDecay=0.0):
        super().__init__(params, dict(lr=lr, beta1=beta1, beta2=beta2, eps=eps, weightDecay=weightDecay))

    @torch.no_grad()
    def step(self, closure=None):
        for g in self.param_groups:
            rs, pp, rr = [], 0.0, 0.0
            b1, b2 = g['beta1'], g['beta2']
            for p in g['params']:
                s = self.state[p]
                if not s:
                    s['step'] = torch.tensor(0.0)
                    s['exp_avg'] = torch.zeros_like(p)
                    s['exp_avg_sq'] = torch.zeros_like(p)
                s['step'] += 1
                t = int(s['step'].item())
                gr = p.grad if p.grad is not None else torch.zeros_like(p)
                m, v = s['exp_avg'], s['exp_avg_sq']
                m.mul_(b1).add_(gr * (1 - b1))
                v.mul_(b2).add_((gr * (1 - b2)) * gr)
                bc1 = torch.tensor(1 - b1 ** t, dtype=torch.float32)
                bc2 = torch.tensor(1 - b2 ** t, dtype=torch.float32)
                r = (m / bc1) / (torch.sqrt(v / bc2) + g['eps']) + g['weightDecay'] * p
                rs.append(r)
                pp += float(p.double().pow(2).sum())
                rr += float(r.double().pow(2).sum())
            ratio = 1.0 if pp == 0 or rr == 0 else math.sqrt(pp) / math.sqrt(rr)
            c = float(torch.tensor(-g['lr'] * ratio, dtype=torch.float32))
            for p, r in zip(g['params'], rs):
                p.add_(r * c)


def make_optimizer(name, o, params):
    wd = o.get('weightDecay', 0.0)
    if name == 'sgd':
        return torch.optim.SGD(params, lr=o['lr'], momentum=o['momentum'], dampening=o['dampening'], nesterov=o['nesterov'], weight_decay=wd, maximize=o.get('maximize', False))
    if name in ('adam', 'adamw'):
        cls = torch.optim.AdamW if name == 'adamw' else torch.optim.Adam
        kw = dict(lr=o['lr'], betas=(o['beta1'], o['beta2']), eps=o['eps'], weight_decay=wd, amsgrad=o['amsgrad'])
        if 'maximize' in o:
            kw['maximize'] = o['maximize']
        return cls(params, **kw)
    if name == 'adagrad':
        return torch.optim.Adagrad(params, lr=o['lr'], lr_decay=o['lrDecay'], weight_decay=wd, initial_accumulator_value=o['initialAccumulatorValue'], eps=o['eps'])
    if name == 'rmsprop':
        return torch.optim.RMSprop(params, lr=o['lr'], alpha=o['alpha'], eps=o['eps'], weight_decay=wd, momentum=o['momentum'], centered=o['centered'])
    if name == 'adadelta':
        return torch.optim.Adadelta(params, lr=o['lr'], rho=o['rho'], eps=o['eps'], weight_decay=wd)
    if name == 'adamax':
        return torch.optim.Adamax(params, lr=o['lr'], betas=(o['beta1'], o['beta2']), eps=o['eps'], weight_decay=wd)
    if name == 'nadam':
        return torch.optim.NAdam(params, lr=o['lr'], betas=(o['beta1'], o['beta2']), eps=o['eps'], weight_decay=wd, momentum_decay=o['momentumDecay'])
    if name == 'radam':
        return torch.optim.RAdam(params, lr=o['lr'], betas=(o['beta1'], o['beta2']), eps=o['eps'], weight_decay=wd)
    if name == 'momentum':
        return EmaMomentum(params, lr=o['lr'], beta=o['beta'], biasCorrection=o['biasCorrection'])
    if name == 'lion':
        return Lion(params, lr=o['lr'], beta1=o['beta1'], beta2=o['beta2'], weightDecay=wd)
    if name == 'lamb':
        return Lamb(params, lr=o['lr'], beta1=o['beta1'], beta2=o['beta2'], eps=o['eps'], weightDecay=wd)
    fail('optimizer %s has no PyTorch counterpart in this script' % name)


# State tensors that are 0-d in torch.optim (the rest have the parameter's shape).
SCALAR_STATE = ('step', 'mu_product')


def load_optimizer_state(opt, tensors, nparams, keys, steps):
    if steps == 0:
        return  # a fresh optimizer: torch.optim initialises its state on the first step
    sd = opt.state_dict()
    state = {}
    for i in range(nparams):
        s = {}
        for k in keys:
            s[k] = tensors['state.%d.%s' % (i, k)].clone()
        if 'state.%d.step' % i in tensors:
            s['step'] = tensors['state.%d.step' % i].clone().reshape(())
        if 'state.%d.mu_product' % i in tensors:
            s['mu_product'] = tensors['state.%d.mu_product' % i].clone().reshape(())
        state[i] = s
    sd['state'] = state
    opt.load_state_dict(sd)


def save_optimizer_state(opt, name, keys, out):
    sd = opt.state_dict()
    for i, s in sd['state'].items():
        for k in keys:
            out['state.%d.%s' % (i, k)] = s[k]
        if name != 'sgd':
            out['state.%d.step' % i] = torch.as_tensor(s['step'], dtype=torch.float32).reshape(())
        if name == 'nadam':
            out['state.%d.mu_product' % i] = torch.as_tensor(s['mu_product'], dtype=torch.float32).reshape(())


# ---------------------------------------------------------------- schedules (src/schedules, closed forms)

def sgdr_cycle(e, t0, m):
    if m == 1:
        pos = math.fmod(e, t0)
        return pos, t0
    if float(m).is_integer():
        start, length = 0, t0
        while start + length <= e:
            start += length
            length *= m
        return e - start, length
    d = m - 1
    L = math.log1p(d)

    def S(n):
        return 0 if n == 0 else t0 if n == 1 else t0 * math.expm1(n * L) / d
    est = int(math.floor(math.log1p(min(e * d / t0, sys.float_info.max)) / L))
    lo = max(0, est - 1)
    step = 2
    while lo > 0 and S(lo) > e:
        lo = max(0, lo - step)
        step *= 2
    hi = est + 2
    step = 2
    while S(hi) <= e:
        hi += step
        step *= 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if S(mid) <= e:
            lo = mid
        else:
            hi = mid
    start = S(lo)
    return e - start, S(hi) - start


def annealed(lr_min, lr, tcur, ti):
    if tcur == 0:
        return lr
    x = math.pi * tcur / ti
    return min(lr, lr_min + (lr - lr_min) * (1 + math.cos(x)) / 2)


def lr_at(s, t):
    """simdescent's lr at schedule time t (a fractional epoch with scheduleUnit 'iteration')."""
    name, o = s.get('name', s.get('schedule')), s['options']  # children are { schedule, options }
    if name == 'constant':
        return o['lr']
    if name == 'step':
        return o['lr'] * o['gamma'] ** math.floor(math.floor(t) / o['stepSize'])
    if name == 'multiStep':
        step = math.floor(t)
        passed = sum(1 for m in o['milestones'] if m <= step)
        return o['lr'] * o['gamma'] ** passed
    if name == 'exponential':
        return o['lr'] * o['gamma'] ** t
    if name == 'inverseTime':
        return o['lr'] * (1 / (1 + o['decayRate'] * t / o['decaySteps']))
    if name == 'polynomial':
        return o['lr'] * (1 - min(o['totalIters'], t) / o['totalIters']) ** o['power']
    if name == 'linear':
        if t >= o['totalIters']:
            return o['lr'] * o['endFactor']
        return o['lr'] * max(0, o['startFactor'] + (o['endFactor'] - o['startFactor']) * t / o['totalIters'])
    if name == 'cosine':
        return annealed(o['lrMin'], o['lr'], t, o['tMax'])
    if name == 'cosineWarmRestarts':
        pos, length = sgdr_cycle(t, o['t0'], o['tMult'])
        return annealed(o['lrMin'], o['lr'], pos, length)
    if name == 'warmup':
        w, f = o['warmupSteps'], o['startFactor']
        if t < w:
            return lr_at(o['schedule'], 0) * (f + (1 - f) * t / w)
        return lr_at(o['schedule'], t - w)
    if name == 'sequential':
        k = 0
        ms = o['milestones']
        while k < len(ms) and ms[k] <= t:
            k += 1
        return lr_at(o['schedules'][k], t if k == 0 else t - ms[k - 1])
    fail('schedule %s has no closed form in this script' % name)


def make_scheduler(opt, sched, unit, iters, steps0):
    """LambdaLR over optimizer steps whose factor is simdescent's closed form at the step's
    schedule time (epoch + batch/iters, or the epoch), divided by the base lr; or
    ReduceLROnPlateau with simdescent's plateau state."""
    if sched is None:
        return None
    if sched['name'] == 'plateau':
        o, st = sched['options'], sched.get('state') or {}
        p = torch.optim.lr_scheduler.ReduceLROnPlateau(
            opt, mode=o['mode'], factor=o['factor'], patience=o['patience'], threshold=o['threshold'],
            threshold_mode=o['thresholdMode'], cooldown=o['cooldown'], min_lr=o['lrMin'], eps=o['eps'])
        best = st.get('best', math.inf if o['mode'] == 'min' else -math.inf)
        p.best = {'Infinity': math.inf, '-Infinity': -math.inf}.get(best, best)
        p.num_bad_epochs = st.get('numBadEpochs', 0)
        p.cooldown_counter = st.get('cooldownCounter', 0)
        p.last_epoch = st.get('observations', 0)
        for g in opt.param_groups:
            g['lr'] = st.get('lr', o['lr'])
        return p
    base = opt.param_groups[0]['lr']
    for g in opt.param_groups:
        g['initial_lr'] = base

    def factor(step):
        t = step // iters if unit == 'epoch' else step // iters + (step % iters) / iters
        return lr_at(sched, t) / base
    return torch.optim.lr_scheduler.LambdaLR(opt, factor, last_epoch=steps0 - 1)


# ---------------------------------------------------------------- the run

def main():
    ap = argparse.ArgumentParser(description='Continue a simdescent run in PyTorch (1 process, or DDP under torchrun).')
    ap.add_argument('--epochs', type=int, required=True, help='epochs in total (as simdescent counts them) to train to')
    ap.add_argument('--out', default='F.safetensors', help='output safetensors file (written by rank 0)')
    ap.add_argument('--data', help="the CSV file, if it moved (default: data.json's path)")
    ap.add_argument('--model', default=os.path.join(HERE, 'model.safetensors'), help='the exported model (default: next to this script)')
    ap.add_argument('--device', help="cpu or cuda (default: cuda under torchrun when there is a GPU, else cpu; GPU sums differ from simdescent's in the last bits)")
    ap.add_argument('--quiet', action='store_true', help='no per-epoch progress')
    args = ap.parse_args()

    world = int(os.environ.get('WORLD_SIZE', '1'))
    rank = int(os.environ.get('RANK', '0'))
    distributed = world > 1
    kind = args.device or ('cuda' if distributed and torch.cuda.is_available() else 'cpu')
    if kind not in ('cpu', 'cuda'):
        fail('--device must be cpu or cuda, got %r' % kind)
    if kind == 'cuda' and not torch.cuda.is_available():
        fail('--device cuda: this PyTorch sees no GPU')
    local = int(os.environ.get('LOCAL_RANK', '0'))
    device = torch.device('cuda', local) if kind == 'cuda' else torch.device('cpu')
    if distributed:
        import torch.distributed as dist
        from torch.nn.parallel import DistributedDataParallel as DDP
        if kind == 'cuda':
            torch.cuda.set_device(device)
        dist.init_process_group('nccl' if kind == 'cuda' else 'gloo')

    tensors, meta = read_safetensors(args.model)
    if meta.get('simdescent.format') != FORMAT:
        fail('%s was not written by simdescent export-torch (metadata simdescent.format is %r)' % (args.model, meta.get('simdescent.format')))
    run = json.loads(meta['simdescent.run'])
    here = os.path.dirname(os.path.abspath(args.model))
    with open(os.path.join(here, 'data.json'), encoding='utf-8') as f:
        data_spec = json.load(f)
    if args.epochs <= run['epoch']:
        fail('the run already has %d epochs; pass --epochs greater than %d' % (run['epoch'], run['epoch']))

    m = run['model']
    model = build_mlp(m['layers'], m['activation'])
    names = [n for n, _ in model.named_parameters()]
    model.load_state_dict({n: tensors[n] for n in names})
    model.to(device)
    oname, oopts = run['optimizer']['name'], run['optimizer']['options']
    opt = make_optimizer(oname, oopts, model.parameters())
    keys = run['optimizer']['stateKeys']
    load_optimizer_state(opt, tensors, len(names), keys, run['optimizerSteps'])
    for g in opt.param_groups:
        g['lr'] = run['lr']
    net = (DDP(model, device_ids=[device.index]) if device.type == 'cuda' else DDP(model)) if distributed else model

    parts = load_data(data_spec, args.data, here)
    xt, yt = parts['train']
    outputs = m['layers'][-1]
    yt = targets(m['loss'], outputs, yt)
    val = parts.get('validation')
    if val:
        val = (val[0].to(device), targets(m['loss'], outputs, val[1]).to(device))
    n = xt.shape[0]
    bs = n if run['batchSize'] == 'full' else run['batchSize']
    iters = -(-n // bs)
    if iters != run['iters']:
        fail('the training split has %d rows here but %d batches in simdescent' % (n, run['iters']))
    sched = run.get('schedule')
    unit = run['scheduleUnit']
    steps = run['steps']
    scheduler = make_scheduler(opt, sched, unit, iters, steps)
    plateau = isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau)
    clip_value, clip_norm = oopts.get('clipValue'), oopts.get('clipNorm')
    rng = Random(run['rng'])
    tracker = {k: num(v) for k, v in run['tracker'].items()}
    if tracker.get('bestSmoothed') is None or math.isnan(tracker['bestSmoothed']):
        tracker['bestSmoothed'] = math.inf  # a checkpoint file's JSON turned Infinity into null
    guard = run.get('divergence')
    es = run.get('earlyStopping')
    monitor = run['monitor']
    best = [tensors['best.' + n].to(device) for n in names] if 'best.' + names[0] in tensors else None
    restored = None
    epochs_log, iterations = [], []
    epoch, start_batch = run['epoch'], run['batch']
    loss_sum, rows_seen = run['epochLossSum'], run['epochRows']
    stop_reason = 'completed'
    last_lr = opt.param_groups[0]['lr']
    if rank == 0 and not args.quiet:
        print('continuing %s from epoch %d (step %d) to %d on %d process%s (%s)' % (
            oname, epoch, steps, args.epochs, world, 'es' if world > 1 else '', 'DDP ' + device.type if distributed else device.type), flush=True)
    rng_state = list(rng.s)
    while epoch < args.epochs and stop_reason == 'completed':
        t0 = time.time()
        rng_state = list(rng.s)
        order = rng.permutation(n) if run['shuffle'] else list(range(n))
        for b in range(start_batch, iters):
            lo, hi = b * bs, min(b * bs + bs, n)
            size = hi - lo
            idx = order[lo:hi]
            if distributed:
                # Contiguous slices, the first (size % world) ranks one row longer.
                q, r = divmod(size, world)
                a = rank * q + min(rank, r)
                idx = idx[a:a + q + (1 if rank < r else 0)]
            it = torch.tensor(idx, dtype=torch.int64)  # a rank with no rows still joins the all-reduce
            x, y = xt[it].to(device), yt[it].to(device)
            opt.zero_grad(set_to_none=False)
            out = net(x)
            if distributed:
                per_row = row_losses(m['loss'], out, y)
                local = per_row.sum()
                (local * (world / size)).backward()
                total = local.detach().double().reshape(1)
                dist.all_reduce(total)
                loss = float(total) / size
            else:
                lb = batch_loss(m['loss'], out, y)
                lb.backward()
                loss = float(lb)
            if clip_value is not None:
                nn.utils.clip_grad_value_(model.parameters(), clip_value)
            if clip_norm is not None:
                nn.utils.clip_grad_norm_(model.parameters(), clip_norm)
            skip = oopts.get('skipNonFinite') and not all(bool(torch.isfinite(p.grad).all()) for p in model.parameters())
            if not skip:
                opt.step()
            last_lr = opt.param_groups[0]['lr']
            if scheduler is not None and not plateau:
                scheduler.step()  # the lr of the next step
            if run['historyEvery'] > 0 and steps % run['historyEvery'] == 0:
                iterations.append({'step': steps, 'epoch': epoch + b / iters, 'loss': loss, 'lr': last_lr})
            steps += 1
            loss_sum += loss * size
            rows_seen += size
            if guard:
                why = divergence_check(tracker, loss, guard['factor'], guard['smoothing'])
                if why:
                    stop_reason = 'diverged'
                    if best is not None:  # fit restores the best params it kept
                        restore(model, best)
                        restored = tracker['bestEpoch']
                    if rank == 0:
                        print('diverged at epoch %d, batch %d: %s' % (epoch + 1, b + 1, why), flush=True)
                    break
        if stop_reason != 'completed':
            break
        start_batch = 0
        entry = {'epoch': epoch + 1, 'loss': loss_sum / rows_seen, 'lr': last_lr}
        if val:
            r = evaluate(model, m['loss'], val[0], val[1])
            entry['valLoss'] = r['loss']
            if 'accuracy' in r:
                entry['valAccuracy'] = r['accuracy']
        ms = (time.time() - t0) * 1000
        entry['ms'] = ms
        entry['samplesPerSec'] = rows_seen / max(ms / 1000, 1e-9)
        epochs_log.append(entry)
        epoch += 1
        loss_sum, rows_seen = 0.0, 0
        metric = entry['valLoss'] if monitor == 'valLoss' else entry.get('valAccuracy') if monitor == 'valAccuracy' else entry['loss']
        if plateau:
            scheduler.step(metric)
        if run['keepBest']:
            if improve(tracker, metric, epoch, 'max' if monitor == 'valAccuracy' else 'min', es.get('minDelta', 0) if es else 0):
                best = [p.detach().clone() for p in model.parameters()]
            if es and tracker['wait'] >= es['patience']:
                stop_reason = 'earlyStopping'
                if es.get('restoreBest', True) and best is not None:
                    restore(model, best)
                    restored = tracker['bestEpoch']
        if rank == 0 and not args.quiet:
            extra = ''.join(' %s %.6g' % (k, entry[k]) for k in ('valLoss', 'valAccuracy') if k in entry)
            print('epoch %d/%d  loss %.6g%s  lr %.6g  %.0f ms' % (epoch, args.epochs, entry['loss'], extra, last_lr, ms), flush=True)
        rng_state = list(rng.s)

    if rank == 0:
        out = {}
        for name, p in zip(names, model.parameters()):
            out[name] = p
        save_optimizer_state(opt, oname, keys, out)
        if best is not None:
            for name, p in zip(names, best):
                out['best.' + name] = p
        result = {
            'epoch': epoch, 'steps': steps, 'optimizerSteps': run['optimizerSteps'] + (steps - run['steps']),
            'rng': rng_state, 'tracker': {k: numjs(v) for k, v in tracker.items()},
            'epochs': [{k: numjs(v) for k, v in e.items()} for e in epochs_log],
            'iterations': [{k: numjs(v) for k, v in e.items()} for e in iterations],
            'stopReason': stop_reason, 'restoredEpoch': restored, 'lr': opt.param_groups[0]['lr'] if plateau else last_lr, 'worldSize': world,
            'torch': torch.__version__,
        }
        if plateau:
            result['plateau'] = {
                'lr': opt.param_groups[0]['lr'],
                'best': numjs(float(scheduler.best)),
                'numBadEpochs': scheduler.num_bad_epochs, 'cooldownCounter': scheduler.cooldown_counter,
                'observations': scheduler.last_epoch,
            }
        meta_out = {'format': 'pt', 'simdescent.format': FORMAT, 'simdescent.run': meta['simdescent.run'],
                    'simdescent.optimizer': oname, 'simdescent.step': str(result['optimizerSteps']),
                    'simdescent.result': json.dumps(result, allow_nan=False, default=float)}
        write_safetensors(args.out, out, meta_out)
        test = parts.get('test')
        if test and not args.quiet:
            r = evaluate(model, m['loss'], test[0].to(device), targets(m['loss'], outputs, test[1]).to(device))
            print('test (%d rows): loss %.6g%s' % (test[0].shape[0], r['loss'], ' accuracy %.6g' % r['accuracy'] if 'accuracy' in r else ''), flush=True)
        if not args.quiet:
            last = epochs_log[-1] if epochs_log else {}
            print('wrote %s at epoch %d (%s)%s' % (args.out, epoch, stop_reason, ''.join(
                ', %s %.6g' % (k, last[k]) for k in ('loss', 'valLoss', 'valAccuracy') if k in last)), flush=True)
    if distributed:
        dist.barrier()
        dist.destroy_process_group()


def restore(model, best):
    with torch.no_grad():
        for p, b in zip(model.parameters(), best):
            p.copy_(b)


def num(v):
    """JSON has no NaN or infinities: simdescent writes them as strings."""
    if v is None:
        return math.nan
    return {'NaN': math.nan, 'Infinity': math.inf, '-Infinity': -math.inf}.get(v, v) if isinstance(v, str) else v


def numjs(v):
    if isinstance(v, float) and not math.isfinite(v):
        return 'NaN' if math.isnan(v) else 'Infinity' if v > 0 else '-Infinity'
    return v


def divergence_check(s, loss, factor, smoothing):
    """src/train/tracker.ts's divergence guard, on the whole batch's loss."""
    if not math.isfinite(loss):
        return 'the training loss became %s' % loss
    s['emaCount'] += 1
    s['ema'] = (1 - smoothing) * s['ema'] + smoothing * loss
    smoothed = s['ema'] / (1 - (1 - smoothing) ** s['emaCount'])
    if s['emaCount'] == 1:
        s['firstSmoothed'] = smoothed
    if smoothed < s['bestSmoothed']:
        s['bestSmoothed'] = smoothed
    if smoothed > factor * s['bestSmoothed'] and smoothed > s['firstSmoothed']:
        return 'the smoothed training loss %.4g rose above %g x its best %.4g' % (smoothed, factor, s['bestSmoothed'])
    return None


def improve(s, value, epoch, mode, min_delta):
    best = s['best']
    better = math.isnan(best) or (value < best - min_delta if mode == 'min' else value > best + min_delta)
    if better:
        s['best'] = value
        s['bestEpoch'] = epoch
        s['wait'] = 0
    else:
        s['wait'] += 1
    return better


if __name__ == '__main__':
    main()
`;
