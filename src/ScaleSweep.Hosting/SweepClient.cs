using System.Collections.Immutable;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Sweeps;

namespace ScaleSweep.Hosting;

/// <summary>Sweep operations over any grain factory: a cluster client, or an embedded silo's own.</summary>
public sealed class SweepClient(IGrainFactory grains)
{
    /// <summary>Submits <paramref name="plan"/> under a new id (name, UTC time, random suffix) and returns its status.</summary>
    public Task<SweepStatus> SubmitAsync(SweepPlan plan, string? id = null) =>
        grains.GetGrain<ISweepGrain>(id ?? NewId(plan.Name)).Submit(plan);

    public Task<SweepStatus> StatusAsync(string id) => grains.GetGrain<ISweepGrain>(id).GetStatus();

    public Task<SweepStatus> CancelAsync(string id) => grains.GetGrain<ISweepGrain>(id).Cancel();

    /// <summary>Every sweep the cluster has seen with its status, newest first.</summary>
    public async Task<ImmutableArray<SweepStatus>> ListAsync()
    {
        var entries = await grains.GetGrain<ISchedulerGrain>(ISchedulerGrain.Cluster).ListSweeps();
        var statuses = await Task.WhenAll(entries.Select(e => StatusAsync(e.Id)));
        return [.. statuses];
    }

    public Task<ImmutableArray<WorkerEntry>> WorkersAsync() =>
        grains.GetGrain<ISchedulerGrain>(ISchedulerGrain.Cluster).ListWorkers();

    public static string NewId(string name)
    {
        var slug = new string([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        if (slug.Length > 40) slug = slug[..40];
        return $"{(slug.Length == 0 ? "sweep" : slug)}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Random.Shared.Next(0x10000):x4}";
    }
}
