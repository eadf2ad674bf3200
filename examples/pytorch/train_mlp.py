"""A ScaleSweep command trial: an MLP on Fashion-MNIST in PyTorch, parameterized by the rules it is handed.

Reads the trial document on stdin, trains width x depth ReLU MLP with the trial's optimizer, LR, steps and batch,
and prints the protocol on stdout: {"step", "train_loss"[, "eval_loss"]} lines and one final line.
Run it with Debian's PyTorch: /usr/bin/python3 (python3-torch). Options: --eval-examples N (default 5000),
--data DIR (default /usr/share/datasets/fashion-mnist, Debian's dataset-fashion-mnist).
"""
import argparse
import gzip
import json
import math
import sys
import time

import numpy as np
import torch

from scaling import ScaledLinear, param_groups

MEAN, STD = 0.2860, 0.3530  # Fashion-MNIST pixel statistics, as the built-in loader uses


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(folder, split):
    images = idx(f"{folder}/{split}-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32)
    labels = idx(f"{folder}/{split}-labels-idx1-ubyte.gz").astype(np.int64)
    return torch.from_numpy((images / 255.0 - MEAN) / STD), torch.from_numpy(labels)


class Mlp(torch.nn.Module):
    def __init__(self, rules, width, depth, base_width, generator):
        super().__init__()
        layers = [ScaledLinear(rules, 784, width, 784, "input", generator=generator)]
        layers += [ScaledLinear(rules, width, width, base_width, "hidden", generator=generator) for _ in range(depth - 1)]
        layers.append(ScaledLinear(rules, width, 10, base_width, "output", generator=generator))
        self.layers = torch.nn.ModuleList(layers)

    def forward(self, x):
        for layer in self.layers[:-1]:
            x = torch.relu(layer(x))
        return self.layers[-1](x)


def emit(**fields):
    print(json.dumps({k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in fields.items()}), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval-examples", type=int, default=5000)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    args = parser.parse_args()
    trial = json.load(sys.stdin)
    rules = trial["rules"]
    torch.set_num_threads(trial["threads"])
    generator = torch.Generator().manual_seed(trial["seed"])

    train_x, train_y = load(args.data, "train")
    eval_x, eval_y = load(args.data, "t10k")
    eval_x, eval_y = eval_x[:args.eval_examples], eval_y[:args.eval_examples]

    model = Mlp(rules, trial["width"], trial["depth"], trial["base_width"], generator)
    kind, lr = trial["optimizer"], trial["lr"]
    if kind == "sgd":
        optimizer = torch.optim.SGD(param_groups(model, rules, lr, trial["weight_decay"]), lr=lr, momentum=trial["momentum"])
    else:
        adam = torch.optim.AdamW if kind == "adamw" else torch.optim.Adam
        optimizer = adam(param_groups(model, rules, lr, trial["weight_decay"], trial["eps"]), lr=lr,
                         betas=(trial["beta1"], trial["beta2"]))
    if trial["schedule"] != "constant" or trial["warmup_steps"]:
        print("this example trains with a constant LR (no schedule, no warmup)", file=sys.stderr)

    steps, batch = trial["steps"], trial["batch"]
    order, cursor = torch.randperm(len(train_x), generator=generator), 0
    first_loss, loss_value, eval_loss, accuracy = None, None, None, None
    started = time.perf_counter()
    for step in range(1, steps + 1):
        if cursor + batch > len(order):
            order, cursor = torch.randperm(len(train_x), generator=generator), 0
        index = order[cursor:cursor + batch]
        cursor += batch
        model.train()
        loss = torch.nn.functional.cross_entropy(model(train_x[index]), train_y[index])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loss_value = loss.item()
        first_loss = first_loss if first_loss is not None else loss_value
        if not math.isfinite(loss_value) or loss_value > trial["divergence_factor"] * first_loss:
            emit(step=step, train_loss=loss_value)
            emit(status="diverged", diverged_at_step=step, final_train_loss=loss_value)
            return
        point = {"step": step, "train_loss": loss_value}
        if step % trial["eval_every"] == 0 or step == steps:
            model.eval()
            with torch.no_grad():
                logits = model(eval_x)
                eval_loss = torch.nn.functional.cross_entropy(logits, eval_y).item()
                accuracy = (logits.argmax(1) == eval_y).float().mean().item()
            point["eval_loss"] = eval_loss
        if "eval_loss" in point or step == 1 or step % trial["log_every"] == 0:
            emit(**point)
    seconds = time.perf_counter() - started
    emit(final_eval_loss=eval_loss, final_train_loss=loss_value, eval_accuracy=accuracy,
         params=sum(p.numel() for p in model.parameters()), samples_per_second=steps * batch / seconds)


if __name__ == "__main__":
    main()
