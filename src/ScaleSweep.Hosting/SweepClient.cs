using System.Collections.Immutable;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Sweeps;

namespace ScaleSweep.Hosting;

/// <summary>
/// Sweep operations over any grain factory: a cluster client, or an embedded silo's own. With a
/// <see cref="FailoverRetry"/> (remote clients), each operation waits out a silo's failover; every operation is
/// safe to repeat (a submit under the same id and plan returns the sweep's status).
/// </summary>
public sealed class SweepClient(IGrainFactory grains, FailoverRetry? retry = null)
{
    /// <summary>Submits <paramref name="plan"/> under a new id (name, UTC time, random suffix) and returns its status.</summary>
    public Task<SweepStatus> SubmitAsync(SweepPlan plan, string? id = null)
    {
        var sweep = grains.GetGrain<ISweepGrain>(id ?? NewId(plan.Name));
        return Patiently("submit", () => sweep.Submit(plan));
    }

    public Task<SweepStatus> StatusAsync(string id) => Patiently("status", () => grains.GetGrain<ISweepGrain>(id).GetStatus());

    public Task<SweepStatus> CancelAsync(string id) => Patiently("cancel", () => grains.GetGrain<ISweepGrain>(id).Cancel());

    /// <summary>Every sweep the cluster has seen with its status, newest first.</summary>
    public Task<ImmutableArray<SweepStatus>> ListAsync() => Patiently("list", async () =>
    {
        var entries = await grains.GetGrain<ISchedulerGrain>(ISchedulerGrain.Cluster).ListSweeps();
        var statuses = await Task.WhenAll(entries.Select(e => grains.GetGrain<ISweepGrain>(e.Id).GetStatus()));
        return statuses.ToImmutableArray();
    });

    public Task<ImmutableArray<WorkerEntry>> WorkersAsync() =>
        Patiently("workers", () => grains.GetGrain<ISchedulerGrain>(ISchedulerGrain.Cluster).ListWorkers());

    private Task<T> Patiently<T>(string operation, Func<Task<T>> call) => retry is null ? call() : retry.RunAsync(operation, call);

    public static string NewId(string name)
    {
        var slug = new string([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        if (slug.Length > 40) slug = slug[..40];
        return $"{(slug.Length == 0 ? "sweep" : slug)}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Random.Shared.Next(0x10000):x4}";
    }
}
