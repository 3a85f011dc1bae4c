"""Speed on a busy machine: the tour and an autoencoder epoch, quiet and beside busy processes.

Run from the repository root, alone (no thread variable set: the default is
what is measured):

    flock /tmp/bench.lock python benchmarks/bench_contention.py [--repeat 3] [--busy 2]
        [--skip-tour] [--root OTHER_CHECKOUT]

For each workload, the median seconds of ``--repeat`` runs, each in a fresh
process:

* quiet, default threads; quiet, one thread (``OMP_NUM_THREADS=1``);
* loaded, default; loaded, one thread: beside ``--busy`` processes of
  ``while True: pass`` that this script starts, each with a time limit of
  its own, and ends by their process id when it is done;
* PyTorch's epoch of the same network, loaded, default threads (when
  PyTorch is installed).

Workloads: ``python -m scratch_genmod tour --quick`` into a temporary
folder, and one epoch of the course's autoencoder (784-1024-256-128, float32,
Adam, batch 128) on 12,800 MNIST images from ``../shared/data/mnist``
(``make_digits`` when absent). ``--root`` runs another checkout of the
library (an A/B against the code before a change). Issue 29's targets:
loaded default within 1.3x of loaded one thread; quiet default within
1.05x of the quiet default before the change. "Quiet" means no busy
process of ours: on a shared machine, note the load printed with each
figure (``os.getloadavg``).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")

EPOCH = r"""
import sys, time
import numpy as np
from pathlib import Path
from scratch_genmod import Autoencoder
from scratch_genmod.datasets import load_mnist, make_digits
try:
    X = load_mnist(Path(sys.argv[1]))[0][:12800]
except (OSError, ValueError):
    X = make_digits(12800, random_state=0)[0]
X = np.asarray(X, np.float32).reshape(len(X), -1)
X /= max(1.0, float(X.max()))  # pixels in [0, 1]
ae = Autoencoder((784, 1024, 256, 128), epochs=1, batch_size=128, progress=False,
                 random_state=0)
start = time.perf_counter()
ae.fit(X)
print(time.perf_counter() - start)
"""

TORCH_EPOCH = r"""
import sys, time
import numpy as np
import torch
from pathlib import Path
from scratch_genmod.datasets import load_mnist, make_digits
try:
    X = load_mnist(Path(sys.argv[1]))[0][:12800]
except (OSError, ValueError):
    X = make_digits(12800, random_state=0)[0]
X = np.asarray(X, np.float32).reshape(len(X), -1)
X = torch.from_numpy(X / max(1.0, float(X.max())))
sizes = [784, 1024, 256, 128]
enc = [torch.nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
dec = [torch.nn.Linear(b, a) for a, b in reversed(list(zip(sizes[:-1], sizes[1:])))]
modules = []
for i, layer in enumerate(enc + dec):
    modules.append(layer)
    modules.append(torch.nn.Sigmoid() if i == len(enc + dec) - 1 else torch.nn.ReLU())
net = torch.nn.Sequential(*modules)
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
loss_fn = torch.nn.MSELoss()
order = torch.randperm(len(X))
start = time.perf_counter()
for i in range(0, len(X), 128):
    batch = X[order[i:i + 128]]
    opt.zero_grad()
    loss = loss_fn(net(batch), batch)
    loss.backward()
    opt.step()
print(time.perf_counter() - start)
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--busy", type=int, default=2, help="busy processes for 'loaded'")
    parser.add_argument("--skip-tour", action="store_true")
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout of the library to run")
    parser.add_argument("--limit", type=float, default=1800.0,
                        help="seconds after which each busy process ends by itself")
    args = parser.parse_args()
    mnist = (ROOT / ".." / "shared" / "data" / "mnist").resolve()
    workloads = [("autoencoder epoch (12,800 MNIST)", [sys.executable, "-c", EPOCH, str(mnist)])]
    if not args.skip_tour:
        workloads.append(("tour --quick", None))
    print(f"library: {args.root.resolve()}; {os.cpu_count()} CPUs; busy processes: {args.busy}")
    rows = []
    for name, command in workloads:
        for loaded in (False, True):
            for one_thread in (False, True):
                seconds, loads = measure(command, args, loaded, one_thread)
                rows.append((name, "loaded" if loaded else "quiet",
                             "1 thread" if one_thread else "default", seconds, loads))
                print_row(rows[-1])
    if _has_torch():
        command = [sys.executable, "-c", TORCH_EPOCH, str(mnist)]
        seconds, loads = measure(command, args, loaded=True, one_thread=False)
        rows.append(("PyTorch epoch (12,800 MNIST)", "loaded", "default", seconds, loads))
        print_row(rows[-1])


def measure(command, args, loaded, one_thread):
    """Median seconds of ``args.repeat`` runs, and the 1-minute load average before each."""
    env = {k: v for k, v in os.environ.items() if k not in THREAD_VARS}
    env["PYTHONPATH"] = str(args.root.resolve())
    if one_thread:
        env["OMP_NUM_THREADS"] = "1"
    busy = [_busy_process(args.limit) for _ in range(args.busy)] if loaded else []
    try:
        if busy:
            time.sleep(1.0)  # let them take their cores
        times, loads = [], []
        for _ in range(args.repeat):
            loads.append(os.getloadavg()[0])
            times.append(_run(command, env))
        return statistics.median(times), loads
    finally:
        for process in busy:  # ended by their own id
            process.kill()
            process.wait()


def _run(command, env):
    """Seconds of one run: the epoch prints its own timing; the tour is timed whole."""
    if command is not None:
        out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        return float(out.stdout.strip().splitlines()[-1])
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "scratch_genmod", "tour", "--quick", "--out",
                        str(Path(folder) / "tour")], env=env, capture_output=True, check=True)
        return time.perf_counter() - start


def _busy_process(limit):
    """A process that spins for ``limit`` seconds at most (in case this script dies first)."""
    code = f"import time\nend = time.time() + {limit}\nwhile time.time() < end: pass"
    return subprocess.Popen([sys.executable, "-c", code])


def _has_torch():
    try:
        import torch  # noqa: F401
    except ImportError:
        print("PyTorch not installed: no PyTorch row")
        return False
    return True


def print_row(row):
    name, state, threads, seconds, loads = row
    print(f"{name:34s} {state:6s} {threads:8s} {seconds:8.2f} s   load before runs: "
          + ", ".join(f"{x:.1f}" for x in loads), flush=True)


if __name__ == "__main__":
    main()
