using System.Collections.Immutable;
using Parquet;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Analysis.Results;

/// <summary>
/// Loads a results folder back into <see cref="TrialResult"/>s. Only the visible files are read: temporary files
/// left by an interrupted writer (<c>.trials.parquet.tmp</c>) are ignored, so what comes back is the last complete
/// flush. Curve rows of trials that are not in trials.parquet (a crash between the two renames) are dropped.
/// </summary>
public static class ResultsReader
{
    /// <summary>True when the folder holds a trials.parquet.</summary>
    public static bool HasResults(string directory) => File.Exists(ResultsFolder.Trials(directory));

    /// <summary>Reads trials and curves. Throws <see cref="FileNotFoundException"/> when there is no trials.parquet.</summary>
    public static async Task<ResultsTable> ReadAsync(string directory, CancellationToken ct = default)
    {
        var trialsPath = ResultsFolder.Trials(directory);
        if (!File.Exists(trialsPath)) throw new FileNotFoundException($"no {ResultsFolder.TrialsFile} in {directory}", trialsPath);
        var (trials, extras) = await ReadTrialsAsync(trialsPath, ct);
        var curvesPath = ResultsFolder.Curves(directory);
        if (File.Exists(curvesPath))
        {
            var curves = await Readable(curvesPath, () => ReadCurvesAsync(curvesPath, ct));
            trials = [.. trials.Select(t => curves.TryGetValue(t.TrialKey, out var c) ? t with { Curve = [.. c] } : t)];
        }
        return new ResultsTable(trials, extras);
    }

    /// <summary>Keys of the trials already stored (empty when there is no trials.parquet): what a resume skips.</summary>
    public static async Task<ImmutableHashSet<string>> ReadStoredKeysAsync(string directory, CancellationToken ct = default)
    {
        var path = ResultsFolder.Trials(directory);
        if (!File.Exists(path)) return [];
        return await Readable(path, async () =>
        {
            var keys = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
            await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: ct);
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                var columns = new ColumnReader(reader.OpenRowGroupReader(g), reader.Schema);
                foreach (var key in await columns.StringsAsync(ResultColumns.TrialKey, ct)) keys.Add(key ?? "");
            }
            return keys.ToImmutable();
        });
    }

    /// <summary>Reads trials.parquet alone (no curves). Throws <see cref="UnreadableResultsException"/> for a damaged file.</summary>
    public static Task<(ImmutableArray<TrialResult> Trials, ImmutableArray<string> ExtraColumns)> ReadTrialsAsync(string path, CancellationToken ct = default) =>
        Readable(path, () => DecodeTrialsAsync(path, ct));

    private static async Task<(ImmutableArray<TrialResult> Trials, ImmutableArray<string> ExtraColumns)> DecodeTrialsAsync(string path, CancellationToken ct)
    {
        await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: ct);
        var extras = ResultSchemas.ExtraColumnsOf(reader.Schema);
        var trials = ImmutableArray.CreateBuilder<TrialResult>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            trials.AddRange(await TrialRowDecoder.DecodeAsync(new ColumnReader(reader.OpenRowGroupReader(g), reader.Schema), extras, ct));
        }
        return (trials.ToImmutable(), extras);
    }

    /// <summary>Runs a read of <paramref name="path"/>; a file that is there but damaged becomes <see cref="UnreadableResultsException"/>.</summary>
    private static async Task<T> Readable<T>(string path, Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException
            or UnreadableResultsException))
        {
            throw new UnreadableResultsException(path, ex);
        }
    }

    /// <summary>Reads curves.parquet into points per trial key, in file order.</summary>
    public static async Task<Dictionary<string, List<CurvePoint>>> ReadCurvesAsync(string path, CancellationToken ct = default)
    {
        var curves = new Dictionary<string, List<CurvePoint>>(StringComparer.Ordinal);
        await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: ct);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            var c = new ColumnReader(reader.OpenRowGroupReader(g), reader.Schema);
            var keys = await c.StringsAsync(ResultColumns.TrialKey, ct);
            var steps = await c.ValuesAsync<int>(ResultColumns.Step, ct);
            var train = await c.ValuesAsync<double>(ResultColumns.TrainLoss, ct);
            var eval = await c.ValuesAsync<double>(ResultColumns.EvalLoss, ct);
            var lr = await c.ValuesAsync<double>(ResultColumns.Lr, ct);
            for (var i = 0; i < c.RowCount; i++)
            {
                var key = keys[i] ?? "";
                if (!curves.TryGetValue(key, out var list)) curves[key] = list = [];
                list.Add(new CurvePoint(steps[i] ?? 0, train[i] ?? double.NaN, eval[i], lr[i] ?? double.NaN));
            }
        }
        return curves;
    }
}
