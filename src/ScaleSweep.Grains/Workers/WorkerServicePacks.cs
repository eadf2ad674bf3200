using Microsoft.Extensions.Logging;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Telemetry;

namespace ScaleSweep.Grains.Workers;

/// <summary>
/// A pack on one slot: its members train together (<see cref="IPackRunner"/>) and each reports its own row under its
/// own lease, exactly as if it had run alone. Without a pack trainer, or with one member left, they run one by one.
/// </summary>
public sealed partial class WorkerService
{
    private TrialOutcome[] RunPack(ActiveTrial[] members)
    {
        var stopped = members.Where(t => t.StopReason != StopReason.None).Select(t => new TrialOutcome(t, null, null));
        var running = members.Where(t => t.StopReason == StopReason.None).ToArray();
        if (_runner.Packs is not { } packs || running.Length <= 1 || !running.All(t => TrialPacking.IsPackable(t.Lease.Spec)))
            return [.. stopped, .. running.Select(Run)];

        var started = _time.GetUtcNow();
        var startedAt = _time.GetTimestamp();
        var activities = running.Select(t => TrialTelemetry.Start(t.Lease, WorkerId)).ToArray();
        _slots.Enter();
        TrialOutcome[] outcomes;
        try
        {
            var measured = packs.Run([.. running.Select(t => new PackMember(t.Lease.Spec, t.OnProgress, t.Cancellation.Token))], running[0].Lease.StopAtStep);
            outcomes = [.. running.Select((t, i) => Outcome(t, measured[i], started))];
        }
        catch (Exception ex)
        {
            // Every member fails this attempt with the pack's message; the sweep retries each as usual.
            _logger.LogInformation(ex, "worker {Worker}: a pack of {Count} trials of sweep {Sweep} failed", WorkerId, running.Length, running[0].Lease.SweepId);
            outcomes = [.. running.Select(t => new TrialOutcome(t, null, $"{ex.GetType().Name}: {ex.Message}"))];
        }
        _slots.Exit();
        // Last started, first finished: each span restores the ambient activity its start found.
        for (var i = running.Length - 1; i >= 0; i--)
            TrialTelemetry.Finish(running[i].Lease, outcomes[i].Result, outcomes[i].Error, StoppedAs(running[i].StopReason), _time.GetElapsedTime(startedAt), activities[i]);
        return [.. stopped, .. outcomes];
    }
}
