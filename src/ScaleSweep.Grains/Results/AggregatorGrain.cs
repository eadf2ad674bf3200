using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Results;
using ScaleSweep.Grains.Sweeps.Ladder;

namespace ScaleSweep.Grains.Results;

/// <summary>
/// Writes a sweep's final rows into its results folder and, when every trial is stored, finalizes the files and
/// runs the analysis off the grain scheduler. Holds no persistent state: the files are the durable record, and an
/// append returns only once its rows are in them (the sweep grain keeps the rows until then).
/// Placed on the silo of its first caller (the sweep grain), so shipping rows to it needs no network hop.
/// </summary>
[PreferLocalPlacement]
internal sealed class AggregatorGrain(IResultStore store, IOptions<ResultsOptions> results, ILogger<AggregatorGrain> logger)
    : Grain, IAggregatorGrain
{
    private readonly long _epoch = Random.Shared.NextInt64(1, long.MaxValue);
    private readonly Dictionary<string, TrialStatus> _accepted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _losses = new(StringComparer.Ordinal);
    private SweepPlan? _plan;
    private IResultSink? _sink;
    private bool _finalizing;

    private string Id => this.GetPrimaryKeyString();

    public async Task<AggregatorOpened> Open(SweepPlan plan)
    {
        if (_sink is null)
        {
            var directory = results.Value.Resolve(plan);
            _sink = await store.OpenAsync(directory, Id, plan, CancellationToken.None);
            _plan = plan;
            foreach (var (key, status) in _sink.Stored) _accepted[key] = status;
            foreach (var (key, loss) in _sink.StoredLosses) _losses[key] = loss;
            logger.LogInformation("sweep {Sweep}: results in {Directory} ({Stored} stored)", Id, directory, _accepted.Count);
        }
        return new AggregatorOpened(_epoch, _sink.Directory, _accepted.ToImmutableDictionary(StringComparer.Ordinal))
        {
            Losses = _losses.ToImmutableDictionary(StringComparer.Ordinal),
        };
    }

    public async Task<long> Append(ImmutableArray<TrialResult> rows)
    {
        if (_sink is null) return 0;
        if (_finalizing)
        {
            logger.LogWarning("sweep {Sweep}: {Count} rows arrived after finalization; dropped", Id, rows.Length);
            return _epoch;
        }
        var fresh = rows.Where(r => _accepted.TryAdd(r.TrialKey, r.Status)).ToArray();
        foreach (var row in fresh)
        {
            if (LadderPruning.StoredLoss(row) is { } loss) _losses[row.TrialKey] = loss;
        }
        try
        {
            // Rows a failed flush left pending are written by this one: the sweep grain sends its outbox again.
            await _sink.AddAsync(fresh, CancellationToken.None);
            await _sink.FlushAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The rows stay pending here and in the sweep's outbox; status shows this message until a flush succeeds.
            throw new IOException($"writing {ResultsFolder.TrialsFile}: {ex.Message}");
        }
        return _epoch;
    }

    public Task<AggregatorFinish> Finish(ImmutableArray<string> unplanned)
    {
        if (_sink is null || _plan is null) return Task.FromResult(new AggregatorFinish(0, []));
        var skip = unplanned.IsDefaultOrEmpty ? [] : unplanned.ToHashSet(StringComparer.Ordinal);
        var missing = _plan.Trials.Select(t => t.Key).Where(k => !_accepted.ContainsKey(k) && !skip.Contains(k)).ToImmutableArray();
        if (missing.Length == 0 && !_finalizing)
        {
            _finalizing = true;
            _ = FinalizeAsync(_sink);
        }
        return Task.FromResult(new AggregatorFinish(_epoch, missing));
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_sink is null || _finalizing) return;
        try
        {
            await _sink.DisposeAsync();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "sweep {Sweep}: closing the results files failed", Id);
        }
    }

    private async Task FinalizeAsync(IResultSink sink)
    {
        AnalysisSummary summary;
        try
        {
            // Compaction and analysis can take seconds: run them on the thread pool, not in a grain turn.
            summary = await Task.Run(() => sink.FinalizeAsync(CancellationToken.None));
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "sweep {Sweep}: finalizing results failed", Id);
            summary = new AnalysisSummary(sink.Directory, _accepted.Count, []) { Error = $"{ex.GetType().Name}: {ex.Message}" };
        }
        await GrainFactory.GetGrain<ISweepGrain>(Id).AnalysisFinished(summary);
    }
}
