using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;

namespace ScaleSweep.Grains.Workers;

/// <summary>
/// Picks the runner for a trial by model kind: <c>noop</c> runs here; a kind with a runner registered under its name
/// (keyed <see cref="ITrialRunner"/>: <c>command</c>) goes to that one; every other kind goes to the
/// <see cref="ITrialRunner"/> the host registered (the TorchSharp trainer). Registered as itself, not as
/// <see cref="ITrialRunner"/>, so it never resolves to itself.
/// </summary>
public sealed class TrialRunnerRouter(IServiceProvider services, NoopTrialRunner noop, IOptions<WorkerOptions> options) : ITrialRunner
{
    public TrialMeasurements Run(TrialSpec spec, Action<TrialProgress>? progress, CancellationToken cancellation) =>
        Run(spec, TrialContext.Standalone(spec), progress, cancellation);

    /// <summary>The trainer of packs this silo registered; null: a pack's members run one after the other.</summary>
    public IPackRunner? Packs => services.GetService<IPackRunner>();

    public TrialMeasurements Run(TrialSpec spec, TrialContext context, Action<TrialProgress>? progress, CancellationToken cancellation)
    {
        if (spec.Model.Kind == ModelKind.Noop.Name) return noop.Run(spec, context, progress, cancellation);
        // Checked where the program would run, whatever the sweep's silo allowed: a command trial runs arbitrary code.
        if (spec.Model.Kind == ModelKind.Command.Name && !options.Value.AllowCommands)
            throw new InvalidOperationException(CommandPolicy.Refusal);
        // A command trial never falls back to the TorchSharp trainer, which cannot read it.
        var trainer = services.GetKeyedService<ITrialRunner>(spec.Model.Kind)
            ?? (spec.Model.Kind == ModelKind.Command.Name ? null : services.GetService<ITrialRunner>())
            ?? throw new InvalidOperationException($"no trainer is registered on this silo for model kind '{spec.Model.Kind}'");
        return trainer.Run(spec, context, progress, cancellation);
    }
}
