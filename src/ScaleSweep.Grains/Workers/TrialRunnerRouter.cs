using Microsoft.Extensions.DependencyInjection;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;

namespace ScaleSweep.Grains.Workers;

/// <summary>
/// Picks the runner for a trial by model kind: <c>noop</c> runs here; every other kind goes to the
/// <see cref="ITrialRunner"/> the host registered (the TorchSharp trainer). Registered as itself, not as
/// <see cref="ITrialRunner"/>, so it never resolves to itself.
/// </summary>
public sealed class TrialRunnerRouter(IServiceProvider services, NoopTrialRunner noop) : ITrialRunner
{
    public TrialMeasurements Run(TrialSpec spec, Action<TrialProgress>? progress, CancellationToken cancellation) =>
        Run(spec, 0, progress, cancellation);

    public TrialMeasurements Run(TrialSpec spec, int stopAtStep, Action<TrialProgress>? progress, CancellationToken cancellation)
    {
        if (spec.Model.Kind == ModelKind.Noop.Name) return noop.Run(spec, stopAtStep, progress, cancellation);
        var trainer = services.GetService<ITrialRunner>()
            ?? throw new InvalidOperationException($"no trainer is registered on this silo for model kind '{spec.Model.Kind}'");
        return trainer.Run(spec, stopAtStep, progress, cancellation);
    }
}
