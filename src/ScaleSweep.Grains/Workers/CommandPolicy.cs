using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Vocabulary;

namespace ScaleSweep.Grains.Workers;

/// <summary>
/// Command trials run arbitrary programs on the workers, so a cluster silo takes them only when started with
/// <c>--allow-commands</c> (<see cref="WorkerOptions.AllowCommands"/>); an embedded run always does. A sweep's silo
/// refuses such a sweep at submit, and a worker refuses to start such a trial.
/// </summary>
public static class CommandPolicy
{
    public const string Flag = "--allow-commands";

    public static string Refusal { get; } =
        $"this cluster refuses command trials (model kind command runs arbitrary programs on its silos): start every silo with {Flag}";

    public static bool HasCommands(SweepPlan plan) => plan.Trials.Any(t => t.Spec.Model.Kind == ModelKind.Command.Name);
}
