"""The reference for `scalesweep bench-pytorch`: the quickstart trial written as a researcher would in plain PyTorch eager.

A 784 -> width -> ... -> 10 ReLU MLP (torch.nn.Linear, PyTorch's default init: standard parameterization), Adam
(torch.optim.Adam, default foreach), batch 128, on Fashion-MNIST, one evaluation of the first --eval-examples test
images at the end. Prints one JSON line: ms per training step (the training loop only), seconds of set-up (imports,
data, model) and of the evaluation, the final losses, torch's version, the BLAS library the process actually mapped
(Debian's python3-torch calls whatever libblas.so.3 the alternatives system selects) and, for OpenBLAS, the kernel set
it uses (OPENBLAS_CORETYPE chooses one where it does not recognise the CPU, e.g. in a virtual machine).
Run with Debian's PyTorch: /usr/bin/python3 bench/pytorch_mlp.py --width 256
"""
import time

started = time.perf_counter()

import argparse
import gzip
import json
import os

import numpy as np
import torch

MEAN, STD = 0.2860, 0.3530  # Fashion-MNIST pixel statistics, as ScaleSweep's loader normalises


def idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def split(folder, name, count):
    images = idx(f"{folder}/{name}-images-idx3-ubyte.gz").reshape(-1, 784)[:count].astype(np.float32)
    labels = idx(f"{folder}/{name}-labels-idx1-ubyte.gz")[:count].astype(np.int64)
    return torch.from_numpy((images / 255.0 - MEAN) / STD), torch.from_numpy(labels)


def blas_core(libraries):
    """The kernel set OpenBLAS chose for this CPU ("Prescott" is its generic fallback for a CPU it does not know)."""
    import ctypes
    for path in libraries:
        if "openblas" in os.path.basename(path):
            name = ctypes.CDLL(path).openblas_get_corename
            name.restype = ctypes.c_char_p
            return name().decode()
    return None


def mapped_blas():
    """The BLAS shared object this process mapped (after a matmul has loaded it)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.split()[-1].lower()}
    return sorted(os.path.realpath(p) for p in paths)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--width", type=int, required=True)
    parser.add_argument("--depth", type=int, default=2, help="hidden layers")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=2 ** -8)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--eval-examples", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    train_x, train_y = split(args.data, "train", None)
    eval_x, eval_y = split(args.data, "t10k", args.eval_examples)
    sizes = [784] + [args.width] * args.depth
    layers = []
    for fan_in, fan_out in zip(sizes, sizes[1:]):
        layers += [torch.nn.Linear(fan_in, fan_out), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers, torch.nn.Linear(sizes[-1], 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    generator = torch.Generator().manual_seed(args.seed)
    order, cursor = torch.randperm(len(train_x), generator=generator), 0
    setup = time.perf_counter() - started

    loop = time.perf_counter()
    for _ in range(args.steps):
        if cursor + args.batch > len(order):
            order, cursor = torch.randperm(len(train_x), generator=generator), 0
        index = order[cursor:cursor + args.batch]
        cursor += args.batch
        loss = torch.nn.functional.cross_entropy(model(train_x[index]), train_y[index])
        optimizer.zero_grad(set_to_none=True)  # PyTorch 2's default (1.13's is False): backward's tensors become the gradients
        loss.backward()
        optimizer.step()
        train_loss = loss.item()  # what a training loop that watches its loss does every step
    loop = time.perf_counter() - loop

    evaluation = time.perf_counter()
    with torch.no_grad():
        eval_loss = torch.nn.functional.cross_entropy(model(eval_x), eval_y).item()
    evaluation = time.perf_counter() - evaluation

    print(json.dumps({
        "width": args.width, "ms_per_step": 1000 * loop / args.steps, "setup_seconds": setup,
        "eval_seconds": evaluation, "final_train_loss": train_loss, "final_eval_loss": eval_loss,
        "torch": torch.__version__, "blas": mapped_blas(), "blas_core": blas_core(mapped_blas()),
    }))


if __name__ == "__main__":
    main()
