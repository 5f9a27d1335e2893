#!/usr/bin/env python3
"""Writes the decoupled-weight-decay, schedule-algebra and recipe fixtures of test/fixtures/
(format: test/fixtures/README.md) with PyTorch 1.13 on this machine:

    /usr/bin/python3 tools/torch-fixtures.py          # needs Debian's python3-torch

Optimizers: torch.optim.AdamW stands for adam + decoupledWeightDecay; PyTorch >= 2's
decoupled_weight_decay for NAdam and RAdam (param.mul_(1 - lr*wd) in place of the L2 term, and
NAdam's mu-product fix) is applied to 1.13's own single-tensor step functions, patched in their
source text, so every other operation keeps 1.13's order. Schedules: ChainedScheduler, two
schedulers stepping one optimizer, and SWALR after CosineAnnealingLR as the PyTorch SWA recipe
writes them. ChainedScheduler with a cosine stops at T_max: there PyTorch's cosine stops being a factor
(its recursion adds (base_lr - eta_min)(1 - cos(pi/T_max))/2, forgetting the other factors). Recipe: SGD (Nesterov, L2) under cosine x multi-step, stepped once per step.
"""
import inspect
import json
import math
import os
import textwrap

import numpy as np

# PyTorch's portable CPU kernels (one rounding per operation, no FMA), as the other fixtures and
# WebAssembly's f32 ops: the AVX2 kernels fuse m·β1 + (1−β1)·g into one rounding.
os.environ['ATEN_CPU_CAPABILITY'] = 'default'
import torch  # noqa: E402
import torch.optim.nadam as nadam_mod
import torch.optim.radam as radam_mod
from torch.optim.lr_scheduler import ChainedScheduler, CosineAnnealingLR, ExponentialLR, LinearLR, MultiStepLR
from torch.optim.swa_utils import SWALR

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures')
VERSION = 'PyTorch %s' % torch.__version__.split('+')[0]
torch.set_num_threads(1)


def f32(v):
    """Shortest decimal that round-trips the float32 value (README: Numbers), as a JSON number."""
    return json.loads(np.format_float_positional(np.float32(v), unique=True, trim='-'))


def f32list(t):
    return [f32(v) for v in t.detach().numpy().ravel()]


def write(name, doc):
    path = os.path.join(OUT, name + '.json')
    with open(path, 'w') as fh:
        fh.write('{\n')
        items = list(doc.items())
        for i, (k, v) in enumerate(items):
            fh.write('  %s: %s%s\n' % (json.dumps(k), json.dumps(v, separators=(',', ':')) if isinstance(v, list) else json.dumps(v), ',' if i < len(items) - 1 else ''))
        fh.write('}\n')
    print('wrote', path)


def patched(module, fname, edits):
    """1.13's step function with PyTorch >= 2's changes applied to its source text."""
    src = textwrap.dedent(inspect.getsource(getattr(module, fname)))
    for old, new in edits:
        assert src.count(old) == 1, (fname, old)
        src = src.replace(old, new)
    scope = dict(module.__dict__)
    exec(compile(src, '<%s patched>' % fname, 'exec'), scope)
    setattr(module, fname, scope[fname])


DECOUPLED = ('            grad = grad.add(param, alpha=weight_decay)\n',
             '            param.mul_(1 - lr * weight_decay)  # PyTorch >= 2 decoupled_weight_decay\n')
patched(nadam_mod, '_single_tensor_nadam', [DECOUPLED, ('mu_product_next = mu_product * mu * mu_next', 'mu_product_next = mu_product * mu_next')])
patched(radam_mod, '_single_tensor_radam', [DECOUPLED])


def open_loop_data(n, steps, seed):
    """Seeded gradients over several decades with a drift, some exact zeros, one coordinate never touched."""
    g = torch.Generator().manual_seed(seed)
    scale = 10.0 ** (torch.rand(n, generator=g) * 5 - 3)
    params0 = (torch.randn(n, generator=g) * scale.sqrt()).float()
    grads = []
    for t in range(steps):
        gt = torch.randn(n, generator=g) * scale + 0.1 * math.sin(t / 7) * scale.sqrt()
        gt[torch.rand(n, generator=g) < 0.05] = 0
        gt[n - 1] = 0
        if t == steps // 2:
            gt.zero_()
        grads.append(gt.float())
    return params0, grads


def optimizer_fixture(name, source, optimizer, options, make, n=64, steps=60, seed=20):
    params0, grads = open_loop_data(n, steps, seed)
    p = torch.nn.Parameter(params0.clone())
    opt = make([p])
    rows = []
    for gt in grads:
        p.grad = gt.clone()
        opt.step()
        rows.append(f32list(p))
    write(name, {
        'format': 'simdescent-fixture/1', 'kind': 'optimizer', 'name': name, 'source': '%s (%s, float32)' % (source, VERSION),
        'optimizer': optimizer, 'options': options, 'loop': 'open', 'n': n, 'steps': steps,
        'params0': f32list(params0), 'grads': [f32list(x) for x in grads], 'params': rows,
    })


def schedule_fixture(name, source, sched, options, steps, run):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=options.get('lr', 0.1))
    lrs = run(opt, steps)
    write(name, {
        'format': 'simdescent-fixture/1', 'kind': 'schedule', 'name': name, 'source': '%s (%s)' % (source, VERSION),
        'schedule': sched, 'options': options, 'steps': steps, 'lrs': lrs,
    })


def stepped(*make):
    """Schedulers built on one optimizer and each stepped once after every optimizer step."""
    def run(opt, steps):
        ss = [m(opt) for m in make]
        lrs = []
        for _ in range(steps):
            lrs.append(opt.param_groups[0]['lr'])
            opt.step()
            for s in ss:
                s.step()
        return lrs
    return run


def swa_recipe(make_before, start, **swalr):
    """torch.optim.swa_utils' recipe: SWALR built up front; after `start` it steps instead of the first scheduler."""
    def run(opt, steps):
        before = make_before(opt) if make_before else None
        swa = SWALR(opt, **swalr)
        lrs = []
        for epoch in range(steps):
            lrs.append(opt.param_groups[0]['lr'])
            opt.step()
            if epoch >= start:
                swa.step()
            elif before:
                before.step()
        return lrs
    return run


def main():
    adam = {'lr': 0.01, 'beta1': 0.9, 'beta2': 0.999, 'eps': 1e-8, 'weightDecay': 0.5, 'decoupledWeightDecay': True}
    optimizer_fixture('adam-decoupled-open', 'torch.optim.AdamW(amsgrad=True) for adam with decoupledWeightDecay', 'adam',
                      {**adam, 'amsgrad': True, 'maximize': False},
                      lambda ps: torch.optim.AdamW(ps, lr=0.01, weight_decay=0.5, amsgrad=True))
    optimizer_fixture('nadam-decoupled-open', 'torch.optim.NAdam with PyTorch >= 2 decoupled_weight_decay=True', 'nadam',
                      {**adam, 'momentumDecay': 4e-3},
                      lambda ps: torch.optim.NAdam(ps, lr=0.01, weight_decay=0.5, foreach=False))
    optimizer_fixture('radam-decoupled-open', 'torch.optim.RAdam with PyTorch >= 2 decoupled_weight_decay=True', 'radam', adam,
                      lambda ps: torch.optim.RAdam(ps, lr=0.01, weight_decay=0.5, foreach=False))

    cm = {'lr': 0.1, 'schedules': [{'schedule': 'cosine', 'options': {'tMax': 40}},
                                   {'schedule': 'multiStep', 'options': {'milestones': [15, 30], 'gamma': 0.1}}]}
    schedule_fixture('chained-cosine-multistep', 'ChainedScheduler([CosineAnnealingLR(T_max=40), MultiStepLR([15, 30], 0.1)])', 'product', cm, 41,
                     stepped(lambda o: ChainedScheduler([CosineAnnealingLR(o, T_max=40), MultiStepLR(o, [15, 30], 0.1)])))
    le = {'lr': 0.1, 'schedules': [{'schedule': 'linear', 'options': {'startFactor': 0.25, 'endFactor': 1.0, 'totalIters': 8}},
                                   {'schedule': 'exponential', 'options': {'gamma': 0.95}}]}
    schedule_fixture('two-schedulers-linear-exponential', 'LinearLR(0.25, 1.0, 8) and ExponentialLR(0.95), both stepped on one optimizer', 'product', le, 60,
                     stepped(lambda o: LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=8), lambda o: ExponentialLR(o, 0.95)))
    sw = {'lr': 0.1, 'swaLr': 0.01, 'annealEpochs': 5, 'annealStrategy': 'cos', 'start': 20, 'schedule': {'schedule': 'cosine', 'options': {'tMax': 40}}}
    schedule_fixture('swalr-after-cosine', 'CosineAnnealingLR(T_max=40) until epoch 20, then SWALR(swa_lr=0.01, anneal_epochs=5, "cos")', 'swalr', sw, 40,
                     swa_recipe(lambda o: CosineAnnealingLR(o, T_max=40), 20, swa_lr=0.01, anneal_epochs=5, anneal_strategy='cos'))
    sl = {'lr': 0.05, 'swaLr': 0.2, 'annealEpochs': 3, 'annealStrategy': 'linear', 'start': 4}
    schedule_fixture('swalr-linear-rising', 'constant lr 0.05, then SWALR(swa_lr=0.2, anneal_epochs=3, "linear") from epoch 4', 'swalr', sl, 12,
                     swa_recipe(None, 4, swa_lr=0.2, anneal_epochs=3, anneal_strategy='linear'))

    # Recipe: what a PyTorch script writes, transcribed by test/recipes.test.ts.
    n, steps = 32, 60
    params0, grads = open_loop_data(n, steps, 21)
    p = torch.nn.Parameter(params0.clone())
    opt = torch.optim.SGD([p], lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)
    sched = ChainedScheduler([CosineAnnealingLR(opt, T_max=60), MultiStepLR(opt, [20, 40], 0.5)])
    lrs, rows = [], []
    for gt in grads:
        lrs.append(opt.param_groups[0]['lr'])
        p.grad = gt.clone()
        opt.step()
        sched.step()
        rows.append(f32list(p))
    write('recipe-torch-sgd-chained', {
        'format': 'simdescent-fixture/1', 'kind': 'recipe', 'name': 'recipe-torch-sgd-chained',
        'source': 'torch.optim.SGD(lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4) + ChainedScheduler([CosineAnnealingLR(T_max=60), MultiStepLR([20, 40], 0.5)]) (%s, float32)' % VERSION,
        'optimizer': 'sgd', 'options': {'lr': 0.05, 'momentum': 0.9, 'dampening': 0.0, 'nesterov': True, 'weightDecay': 5e-4, 'maximize': False},
        'schedule': {'schedule': 'product', 'options': {'lr': 0.05, 'schedules': [{'schedule': 'cosine', 'options': {'tMax': 60}}, {'schedule': 'multiStep', 'options': {'milestones': [20, 40], 'gamma': 0.5}}]}},
        'loop': 'open', 'n': n, 'steps': steps, 'lrs': lrs,
        'params0': f32list(params0), 'grads': [f32list(x) for x in grads], 'params': rows,
    })


if __name__ == '__main__':
    main()
