"""PyTorch CPU (1 thread) beside simdescent in bench/training: samples/s of forward + backward + Adam
for the MLPs of bench/training.bench.mjs on synthetic data. Run by that suite when `import torch`
works (Debian: apt-get install python3-torch); it can also run alone:

    python3 bench/torch_mlp.py --seconds 1 --shape 64,128,10:32 --shape 784,256,10:128
    python3 bench/torch_mlp.py --check DIR      # losses on the batches bench/training wrote to DIR

Prints one JSON object on stdout.
"""
import argparse
import ctypes
import json
import os
import statistics
import time

# One thread end to end: torch's own pool and the BLAS's. An OpenBLAS built with pthreads (Debian's
# libopenblas0-pthread, which python3-torch pulls in) starts one thread per core whatever
# torch.set_num_threads says; these must be set before the library loads.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import torch  # noqa: E402

torch.set_num_threads(1)


def build(layers, params=None):
    model = torch.nn.Sequential(
        torch.nn.Linear(layers[0], layers[1]), torch.nn.ReLU(), torch.nn.Linear(layers[1], layers[2])
    )
    if params is not None:
        # simdescent's flat layout is PyTorch's: per layer weight [out, in] row-major, then bias.
        at = 0
        with torch.no_grad():
            for p in model.parameters():
                p.copy_(params[at : at + p.numel()].view_as(p))
                at += p.numel()
    return model


def check(directory):
    with open(os.path.join(directory, "check.json")) as f:
        spec = json.load(f)
    out = {}
    for case in spec["cases"]:
        layers, batch, steps = case["layers"], case["batch"], case["steps"]

        def raw(name, dtype):
            with open(os.path.join(directory, f"{case['name']}.{name}.bin"), "rb") as fh:
                return torch.frombuffer(bytearray(fh.read()), dtype=dtype)

        params = raw("params", torch.float32)
        x = raw("x", torch.float32).view(-1, batch, layers[0])
        y = raw("y", torch.int32).view(-1, batch).long()
        model = build(layers, params)
        opt = torch.optim.Adam(model.parameters(), lr=case["lr"])
        loss_fn = torch.nn.CrossEntropyLoss()
        losses = []
        for s in range(steps + 1):
            opt.zero_grad()
            loss = loss_fn(model(x[s]), y[s])
            losses.append(loss.item())
            if s < steps:
                loss.backward()
                opt.step()
        out[case["name"]] = losses
    return out


def bench(layers, batch, seconds, k=8):
    g = torch.Generator().manual_seed(1)
    xs = torch.rand(k, batch, layers[0], generator=g) - 0.5
    ys = torch.randint(0, layers[-1], (k, batch), generator=g)
    model = build(layers)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    i = 0

    def step():
        nonlocal i
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xs[i % k]), ys[i % k])
        loss.backward()
        opt.step()
        i += 1

    for _ in range(5):
        step()
    # Batches of steps lasting >= 20 ms, median seconds per step over them.
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            step()
        if time.perf_counter() - t0 > 0.02:
            break
        reps *= 2
    samples = []
    end = time.perf_counter() + seconds
    while len(samples) < 5 or time.perf_counter() < end:
        t0 = time.perf_counter()
        for _ in range(reps):
            step()
        samples.append((time.perf_counter() - t0) / reps)
    return {"secondsPerStep": statistics.median(samples), "samples": len(samples)}


def blas_library():
    """The BLAS shared object this process actually mapped (Debian's torch uses the system libblas.so.3
    alternative: the reference BLAS unless OpenBLAS is installed, which changes its speed severalfold)."""
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.split()[-1].lower()}
        return sorted(os.path.realpath(x) for x in libs if x.startswith("/")) or None
    except OSError:
        return None


def blas_threads(libs):
    """The thread count the mapped OpenBLAS reports (None for another BLAS)."""
    for path in libs or []:
        try:
            fn = getattr(ctypes.CDLL(path), "openblas_get_num_threads", None)
        except OSError:
            continue
        if fn is not None:
            return int(fn())
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--shape", action="append", default=[], help="in,hidden,out:batch")
    ap.add_argument("--check", help="directory written by bench/training.bench.mjs")
    a = ap.parse_args()
    blas = blas_library()
    res = {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas, "blasThreads": blas_threads(blas)}
    if a.check:
        res["check"] = check(a.check)
    shapes = a.shape or ["64,128,10:32", "784,256,10:128"]
    if not a.check or a.shape:
        res["results"] = []
        for spec in shapes:
            dims, batch = spec.split(":")
            layers = [int(v) for v in dims.split(",")]
            r = bench(layers, int(batch), a.seconds)
            r.update({"layers": layers, "batch": int(batch)})
            res["results"].append(r)
    print(json.dumps(res))


if __name__ == "__main__":
    main()
