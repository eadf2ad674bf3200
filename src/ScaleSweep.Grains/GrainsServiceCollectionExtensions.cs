using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ScaleSweep.Grains.Results;
using ScaleSweep.Grains.Scheduling;
using ScaleSweep.Grains.Workers;

namespace ScaleSweep.Grains;

/// <summary>Service registrations a silo needs for the sweep grains and the trial worker.</summary>
public static class GrainsServiceCollectionExtensions
{
    /// <summary>Sweep, scheduler and aggregator grains' services (the host registers the grain storage).</summary>
    public static IServiceCollection AddScaleSweepGrains(this IServiceCollection services,
        Action<ResultsOptions>? results = null, Action<LeaseOptions>? lease = null, Action<SchedulerOptions>? scheduler = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IResultStore, ParquetResultStore>();
        services.AddOptions<ResultsOptions>().Configure(o => results?.Invoke(o));
        services.AddOptions<LeaseOptions>().Configure(o => lease?.Invoke(o)).Validate(o => { o.Validate(); return true; });
        services.AddOptions<SchedulerOptions>().Configure(o => scheduler?.Invoke(o));
        return services;
    }

    /// <summary>The worker service (trial slots) and its runners; the TorchSharp trainer is registered by the host as <c>ITrialRunner</c>.</summary>
    public static IServiceCollection AddScaleSweepWorker(this IServiceCollection services, Action<WorkerOptions>? worker = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<NoopTrialRunner>();
        services.TryAddSingleton<TrialRunnerRouter>();
        services.TryAddSingleton<WorkerMetrics>();
        services.AddOptions<WorkerOptions>().Configure(o => worker?.Invoke(o));
        // One instance, reachable by the silo command to drain it before the silo stops.
        services.TryAddSingleton<WorkerService>();
        services.AddHostedService(sp => sp.GetRequiredService<WorkerService>());
        return services;
    }
}
