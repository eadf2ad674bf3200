"""ScaleSweep's resolved parameterization rules applied to a PyTorch model (no mup library needed).

A command trial's document carries "rules": per parameter role, each quantity as {coef, fan_in, base_fan_in},
whose value for a layer is coef * fan_in**fan_in * base_fan_in**base_fan_in (docs/command-trials.md). Build
layers with ScaledLinear, then give the optimizer param_groups(...): init, forward multipliers and per-parameter
LR, weight decay and Adam epsilon are then what the built-in TorchSharp models use for the same shape.
"""
import math

import torch


def rule_value(rule, fan_in, base_fan_in):
    return rule["coef"] * fan_in ** rule["fan_in"] * base_fan_in ** rule["base_fan_in"]


def init_(param, rules, role, fan_in, base_fan_in, generator=None):
    """Draws a parameter as its role says: N(mean, std^2), or U(mean +- std*sqrt(3)) for uniform tables."""
    std = rule_value(rules["roles"][role]["init_std"], fan_in, base_fan_in)
    mean = 0.0 if role in ("bias", "output_bias", "norm") else rules["init_mean"]
    with torch.no_grad():
        if std == 0:
            param.fill_(mean)
        elif rules["init_distribution"] == "uniform":
            bound = std * math.sqrt(3)
            param.uniform_(mean - bound, mean + bound, generator=generator)
        else:
            param.normal_(mean, std, generator=generator)


class ScaledLinear(torch.nn.Module):
    """y = a_w * (x W^T) + a_b * b, initialised and multiplied as the rules say for its role.

    base_fan_in: the layer's fan-in in the base model (the input size for an input layer, base_width for a
    hidden or readout layer of an MLP).
    """

    def __init__(self, rules, fan_in, fan_out, base_fan_in, role, bias=True, generator=None):
        super().__init__()
        roles = rules["roles"]
        bias_role = "output_bias" if role == "output" else "bias"
        self.weight = torch.nn.Parameter(torch.empty(fan_out, fan_in))
        self.bias = torch.nn.Parameter(torch.empty(fan_out)) if bias else None
        self.scaled = [(self.weight, role, fan_in, base_fan_in)]
        if bias:
            self.scaled.append((self.bias, bias_role, fan_in, base_fan_in))
        for param, r, f, b in self.scaled:
            init_(param, rules, r, f, b, generator)
        self.weight_mult = rule_value(roles[role]["multiplier"], fan_in, base_fan_in)
        self.bias_mult = rule_value(roles[bias_role]["multiplier"], fan_in, base_fan_in) if bias else 0.0

    def forward(self, x):
        y = torch.nn.functional.linear(x, self.weight) * self.weight_mult
        return y if self.bias is None else y + self.bias * self.bias_mult


def param_groups(model, rules, lr, weight_decay=0.0, eps=None):
    """One optimizer group per scaled parameter, with the LR, weight decay (and Adam eps) its role gets."""
    groups = []
    for module in model.modules():
        for param, role, fan_in, base_fan_in in getattr(module, "scaled", []):
            r = rules["roles"][role]
            group = {
                "params": [param],
                "lr": lr * rule_value(r["lr"], fan_in, base_fan_in),
                "weight_decay": weight_decay * rule_value(r["weight_decay"], fan_in, base_fan_in),
            }
            if eps is not None:
                group["eps"] = eps * rule_value(r["eps"], fan_in, base_fan_in)
            groups.append(group)
    return groups
