using ScaleSweep.Training.Models;
using ScaleSweep.Training.Tensors;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Optimization;

/// <summary>The batch and model a calibrated first step measures its update on.</summary>
public readonly record struct CalibrationBatch(ScalableModel Model, Tensor Input);

/// <summary>
/// The calibrated large first step of IP-LLR, as the integrable-parameterization authors run it. The table's
/// first-step LR exponents make every layer's first update Θ(1) in the infinite-width limit, but the constants
/// compound over depth (each layer's update is aligned with its vanishing initial input), so their code sets
/// each layer's first-step LR from the data. Here: after the first update Δ, every calibrated module — in
/// forward order, with the modules before it already calibrated — gets W₀ + s·Δ with s such that its output on
/// the batch moves by the target mean |Δy|; s is bounded so that s·η ≤ 1000 (the authors' cap on the base LR).
/// A module is a parameter's name without its last part (<c>hidden.2.weight</c> → <c>hidden.2</c>) and must be
/// reported under that name by the model's activation probe.
/// </summary>
internal static class FirstStepCalibration
{
    private const double MaxBaseLr = 1000;

    /// <summary>Runs the first update (<paramref name="update"/>) and calibrates it.</summary>
    /// <returns>The factor applied to each module's update.</returns>
    public static IReadOnlyDictionary<string, double> Update(IReadOnlyList<(ScaledParameter Parameter, double Target)> calibrated,
        CalibrationBatch batch, double lr, Action update)
    {
        using var scope = NewDisposeScope();
        var before = calibrated.Select(c => c.Parameter.Parameter.detach().clone()).ToArray();
        update();
        return Apply(calibrated, before, batch, lr);
    }

    /// <param name="calibrated">Parameters to calibrate with their target, in forward order.</param>
    /// <param name="before">Their values before the update, in the same order.</param>
    /// <returns>The factor applied to each module's update.</returns>
    public static IReadOnlyDictionary<string, double> Apply(IReadOnlyList<(ScaledParameter Parameter, double Target)> calibrated,
        IReadOnlyList<Tensor> before, CalibrationBatch batch, double lr)
    {
        var factors = new Dictionary<string, double>();
        var wasTraining = batch.Model.training;
        batch.Model.eval();
        using (no_grad())
        using (NewDisposeScope())
        {
            var entries = calibrated.Select((c, i) => (c.Parameter.Parameter, c.Target, Before: before[i],
                Delta: c.Parameter.Parameter.sub(before[i]), Module: ModuleOf(c.Parameter.Name))).ToArray();
            foreach (var e in entries) e.Parameter.copy_(e.Before);
            foreach (var module in entries.GroupBy(e => e.Module))
            {
                using var temporaries = NewDisposeScope();
                var unchanged = Output(batch, module.Key);
                foreach (var e in module) e.Parameter.copy_(e.Before.Plus(e.Delta));
                var moved = Output(batch, module.Key).sub(unchanged).abs().mean().item<float>();
                var factor = moved > 0 ? Math.Min(module.Max(e => e.Target) / moved, MaxBaseLr / lr) : 1;
                foreach (var e in module) e.Parameter.copy_(e.Before.AddScaled(e.Delta, factor));
                factors[module.Key] = factor;
            }
        }
        if (wasTraining) batch.Model.train();
        return factors;
    }

    private static string ModuleOf(string parameterName) =>
        parameterName.LastIndexOf('.') is var dot and > 0 ? parameterName[..dot] : parameterName;

    private static Tensor Output(CalibrationBatch batch, string module)
    {
        Tensor? output = null;
        batch.Model.Forward(batch.Input, (name, y) => { if (name == module) output = y.detach().clone(); });
        return output ?? throw new InvalidOperationException(
            $"first-step calibration: the model reports no activation named '{module}' (see ActivationProbe names)");
    }
}
