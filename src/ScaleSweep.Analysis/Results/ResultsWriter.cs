using System.Collections.Immutable;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Analysis.Results;

/// <summary>
/// Streams trial results into a results folder as they arrive: trials.parquet and curves.parquet grow by one row
/// group per flush and are always complete files (see <see cref="AtomicParquetFile"/>). Safe for concurrent
/// callers. The first result for a trial key wins; a later duplicate is dropped and counted.
/// </summary>
/// <remarks>
/// Curves are published before trials, so a trial that is visible always has its curve; a crash between the two
/// renames leaves orphan curve rows, which the reader drops. <see cref="CompleteAsync"/> rewrites both files into
/// few large row groups, because one row group per flush is slow for every Parquet reader.
/// </remarks>
public sealed class ResultsWriter : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<TrialResult> _pending = [];
    private readonly HashSet<string> _stored = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pendingKeys = new(StringComparer.Ordinal);
    private readonly HashSet<string> _curvesStored = new(StringComparer.Ordinal);
    private readonly ImmutableHashSet<string> _extraSet;
    private readonly AtomicParquetFile _trials;
    private readonly AtomicParquetFile _curves;
    private readonly ResultsWriterOptions _options;
    private readonly Timer _timer;
    private WriterClaim _claim = null!;
    private bool _completed;
    private int _rowGroups;

    private ResultsWriter(string directory, ImmutableArray<string> extraColumns, ResultsWriterOptions options)
    {
        Directory = directory;
        ExtraColumns = extraColumns;
        _extraSet = [.. extraColumns];
        _options = options;
        _trials = new AtomicParquetFile(ResultsFolder.Trials(directory), ResultSchemas.Trials(extraColumns));
        _curves = new AtomicParquetFile(ResultsFolder.Curves(directory), ResultSchemas.Curves);
        _timer = new Timer(_ => _ = FlushInBackgroundAsync());
    }

    public string Directory { get; }

    /// <summary>The extra (per-sweep) double columns, sorted: fixed for the writer's lifetime.</summary>
    public ImmutableArray<string> ExtraColumns { get; }

    /// <summary>Trials in the visible trials.parquet.</summary>
    public int StoredCount { get { lock (_pending) return _stored.Count; } }

    /// <summary>Trials accepted but not flushed yet.</summary>
    public int PendingCount { get { lock (_pending) return _pending.Count; } }

    /// <summary>Results dropped because their trial key was already stored or pending.</summary>
    public int DuplicatesDropped { get; private set; }

    /// <summary>Flushes that published a new row group.</summary>
    public int FlushCount { get; private set; }

    /// <summary>
    /// The error of the last failed background (timer) flush, null once a flush succeeds. The trials stay pending
    /// and the timer retries; <see cref="FlushAsync"/> and <see cref="CompleteAsync"/> throw such errors directly.
    /// </summary>
    public Exception? LastBackgroundError { get; private set; }

    /// <summary>Opens a writer for a sweep: its extra columns are the swept keys that have no column of their own, and the metrics its trials report.</summary>
    public static Task<ResultsWriter> OpenAsync(string directory, SweepSettings settings, ResultsWriterOptions? options = null, CancellationToken ct = default) =>
        OpenAsync(directory, ResultColumns.ExtraColumnsFor(settings.SweptKeys.Concat(settings.MetricColumns)), options, ct);

    /// <summary>
    /// Opens a writer on <paramref name="directory"/> (created if missing) with the given extra columns. With
    /// <see cref="ResultsWriterOptions.Resume"/> the stored trials are kept (their keys count as stored); otherwise
    /// empty files replace any previous ones.
    /// </summary>
    public static async Task<ResultsWriter> OpenAsync(string directory, IEnumerable<string> extraColumns, ResultsWriterOptions? options = null, CancellationToken ct = default)
    {
        options ??= ResultsWriterOptions.Default;
        if (options.RowGroupTrials < 1 || options.CompactRowGroupTrials < 1)
            throw new ArgumentOutOfRangeException(nameof(options), "row group sizes must be at least 1");
        if (options.FlushInterval <= TimeSpan.Zero && options.FlushInterval != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(options), "FlushInterval must be positive or Timeout.InfiniteTimeSpan");
        System.IO.Directory.CreateDirectory(directory);
        var writer = new ResultsWriter(directory, ResultColumns.ExtraColumnsFor(extraColumns), options);
        async Task<ImmutableArray<TrialResult>> StoredAsync()
        {
            var stored = options.Resume && ResultsReader.HasResults(directory) ? (await ResultsReader.ReadAsync(directory, ct)).Trials : [];
            writer.CheckExtraColumns(stored);
            return stored;
        }
        // Claimed only once the stored files are known to be usable (a refused folder is left as it was), and read
        // again under the claim: a writer this one replaces may have committed in between, and now cannot.
        await StoredAsync();
        writer._claim = await WriterClaim.TakeAsync(directory, ct);
        await writer.RewriteAsync(await StoredAsync(), ct);
        return writer;
    }

    /// <summary>
    /// Accepts one result. Returns false (and writes nothing) when its trial key is already stored or pending.
    /// Flushes inline when a row group's worth of trials is pending; if that flush throws, the result stays accepted
    /// and pending. Throws <see cref="ArgumentException"/> for an extra key the writer's schema does not have.
    /// </summary>
    public async Task<bool> AddAsync(TrialResult result, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (string.IsNullOrEmpty(result.TrialKey)) throw new ArgumentException("trial_key must not be empty", nameof(result));
        var unknown = result.Extra.Keys.Where(k => !_extraSet.Contains(k)).ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException($"extra value(s) {string.Join(", ", unknown)} are not columns of this results file (columns: {string.Join(", ", ExtraColumns)})", nameof(result));
        bool full;
        lock (_pending)
        {
            ObjectDisposedException.ThrowIf(_completed, this);
            if (_stored.Contains(result.TrialKey) || !_pendingKeys.Add(result.TrialKey))
            {
                DuplicatesDropped++;
                return false;
            }
            _pending.Add(result);
            if (_pending.Count == 1 && _options.FlushInterval != Timeout.InfiniteTimeSpan) _timer.Change(_options.FlushInterval, Timeout.InfiniteTimeSpan);
            full = _pending.Count >= _options.RowGroupTrials;
        }
        if (full) await FlushAsync(ct);
        return true;
    }

    /// <summary>Publishes every pending trial as one new row group of each file.</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try { await FlushPendingAsync(ct); }
        finally { _gate.Release(); }
    }

    /// <summary>Flushes, then compacts both files into large row groups. The writer accepts nothing afterwards.</summary>
    public async Task CompleteAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_completed) return;
            await FlushPendingAsync(ct);
            lock (_pending) _completed = true;
            await _timer.DisposeAsync();
            // Only when flushes left more row groups than a fresh write would have.
            if (_rowGroups > (StoredCount + _options.CompactRowGroupTrials - 1) / _options.CompactRowGroupTrials)
                await RewriteAsync((await ResultsReader.ReadAsync(Directory, ct)).Trials, ct);
        }
        finally { _gate.Release(); }
    }

    public async ValueTask DisposeAsync() => await CompleteAsync();

    private async Task FlushPendingAsync(CancellationToken ct)
    {
        TrialResult[] batch;
        lock (_pending) batch = [.. _pending];
        if (batch.Length == 0) return;
        var needCurves = batch.Where(t => !_curvesStored.Contains(t.TrialKey)).ToArray();
        await _claim.CommitAsync(async () =>
        {
            if (needCurves.Length > 0)
            {
                await _curves.AppendAsync(w => CurveRowGroup.WriteAsync(w, needCurves, ct), ct);
                foreach (var t in needCurves) _curvesStored.Add(t.TrialKey);
            }
            await _trials.AppendAsync(w => TrialRowGroup.WriteAsync(w, _trials.Schema, batch, ct), ct);
        }, ct);
        lock (_pending)
        {
            _pending.RemoveRange(0, batch.Length);
            foreach (var t in batch) { _stored.Add(t.TrialKey); _pendingKeys.Remove(t.TrialKey); }
        }
        FlushCount++;
        _rowGroups++;
    }

    /// <summary>Replaces both files with <paramref name="trials"/> in row groups of the compaction size (curves first).</summary>
    private async Task RewriteAsync(ImmutableArray<TrialResult> trials, CancellationToken ct)
    {
        var chunks = trials.Chunk(_options.CompactRowGroupTrials).ToArray();
        await _claim.CommitAsync(async () =>
        {
            await _curves.ReplaceAsync(async w => { foreach (var c in chunks) await CurveRowGroup.WriteAsync(w, c, ct); }, ct);
            await _trials.ReplaceAsync(async w => { foreach (var c in chunks) await TrialRowGroup.WriteAsync(w, _trials.Schema, c, ct); }, ct);
        }, ct);
        lock (_pending)
        {
            _stored.Clear();
            _curvesStored.Clear();
            foreach (var t in trials) { _stored.Add(t.TrialKey); _curvesStored.Add(t.TrialKey); }
        }
        _rowGroups = chunks.Length;
    }

    private void CheckExtraColumns(ImmutableArray<TrialResult> existing)
    {
        var unknown = existing.SelectMany(t => t.Extra.Keys).Where(k => !_extraSet.Contains(k)).Distinct().ToArray();
        if (unknown.Length > 0)
            throw new InvalidDataException($"the stored results in {Directory} have extra column(s) {string.Join(", ", unknown)} that this sweep does not sweep");
    }

    private async Task FlushInBackgroundAsync()
    {
        // A flush in progress (inline or explicit) will take the pending trials, or the next tick will.
        if (!await _gate.WaitAsync(0)) { Rearm(); return; }
        try
        {
            if (_completed) return;
            await FlushPendingAsync(CancellationToken.None);
            LastBackgroundError = null;
        }
        catch (Exception ex)
        {
            // Nothing to throw to: keep the trials pending, remember the error, try again later.
            LastBackgroundError = ex;
            Rearm();
        }
        finally { _gate.Release(); }
    }

    private void Rearm()
    {
        lock (_pending)
        {
            if (!_completed && _pending.Count > 0) _timer.Change(_options.FlushInterval, Timeout.InfiniteTimeSpan);
        }
    }
}
