using System.Collections.Immutable;
using System.Runtime.ExceptionServices;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Reports;
using ScaleSweep.Analysis.Results;
using ScaleSweep.Grains.Sweeps.Ladder;

namespace ScaleSweep.Grains.Results;

/// <summary>Results as Parquet through the Analysis library: <see cref="ResultsWriter"/>, then <see cref="ReportWriter"/>.</summary>
internal sealed class ParquetResultStore : IResultStore
{
    public async Task<IResultSink> OpenAsync(string directory, string sweepId, SweepPlan plan, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var planKeys = plan.Trials.Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
        var existing = ResultsReader.HasResults(directory) ? (await ResultsReader.ReadAsync(directory, ct)).Trials : [];
        var keep = existing
            .Where(r => planKeys.Contains(r.TrialKey) && r.Status != TrialStatus.Cancelled)
            .DistinctBy(r => r.TrialKey)
            .ToArray();
        // When every stored row stays, the writer resumes on the files as they are; otherwise it starts empty
        // and the kept rows are written again (cancelled trials run again, rows of other plans are dropped).
        var clean = keep.Length == existing.Length;
        // No background timer: the aggregator grain flushes from its own timer, so all file I/O of a sweep
        // happens in its turns and stops with its activation.
        var options = new ResultsWriterOptions { Resume = clean, FlushInterval = Timeout.InfiniteTimeSpan };
        var writer = await ResultsWriter.OpenAsync(directory, plan.Settings, options, ct);
        var losses = keep.Where(r => LadderPruning.StoredLoss(r) is not null).ToImmutableDictionary(r => r.TrialKey, r => LadderPruning.StoredLoss(r)!.Value, StringComparer.Ordinal);
        var sink = new ParquetResultSink(writer, plan, keep.ToImmutableDictionary(r => r.TrialKey, r => r.Status, StringComparer.Ordinal), losses);
        if (!clean)
        {
            await sink.AddAsync(keep, ct);
            await sink.FlushAsync(ct);
        }
        SweepInfo.WriteSweepFiles(directory, plan, sweepId);
        return sink;
    }

    private sealed class ParquetResultSink(ResultsWriter writer, SweepPlan plan, IReadOnlyDictionary<string, TrialStatus> stored, IReadOnlyDictionary<string, double> losses) : IResultSink
    {
        private readonly ImmutableHashSet<string> _columns = [.. writer.ExtraColumns];

        public string Directory => writer.Directory;

        public IReadOnlyDictionary<string, TrialStatus> Stored => stored;

        public IReadOnlyDictionary<string, double> StoredLosses => losses;

        public async Task AddAsync(IReadOnlyList<TrialResult> rows, CancellationToken ct)
        {
            Exception? failed = null;
            foreach (var row in rows)
            {
                // A value the schema has no column for would fail the whole file; the trial's config is in its key.
                var fitted = row.Extra.Keys.All(_columns.Contains) ? row : row with { Extra = row.Extra.RemoveRange(row.Extra.Keys.Where(k => !_columns.Contains(k))) };
                try
                {
                    await writer.AddAsync(fitted, ct);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // An inline flush failed (disk full): the row is accepted and pending; take the rest before throwing.
                    failed ??= ex;
                }
            }
            if (failed is not null) ExceptionDispatchInfo.Throw(failed);
        }

        public Task FlushAsync(CancellationToken ct) => writer.FlushAsync(ct);

        public async Task<AnalysisSummary> FinalizeAsync(CancellationToken ct)
        {
            await writer.CompleteAsync(ct);
            ImmutableArray<string> data = [ResultsFolder.TrialsFile, ResultsFolder.CurvesFile];
            try
            {
                var report = await ReportWriter.WriteAllAsync(writer.Directory, plan.Settings.Transfer, ct: ct);
                var written = new[] { report.TransferJsonPath, report.TransferParquetPath, report.ReportPath }
                    .Concat(report.Plots.Select(p => p.Path))
                    .Select(p => Path.GetRelativePath(writer.Directory, p));
                return new AnalysisSummary(writer.Directory, writer.StoredCount, [.. data, .. written]);
            }
            catch (Exception ex) when (ex is ReportInputException or InvalidDataException or IOException or ArgumentException)
            {
                // The results are stored; only the analysis failed (e.g. an axis that is not a column).
                return new AnalysisSummary(writer.Directory, writer.StoredCount, data) { Error = ex.Message };
            }
        }

        public async ValueTask DisposeAsync() => await writer.DisposeAsync();
    }
}
