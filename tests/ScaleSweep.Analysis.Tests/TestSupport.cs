using System.Buffers.Binary;
using System.Collections.Immutable;
using DuckDB.NET.Data;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Analysis.Tests;

/// <summary>A fresh folder under the temp directory, deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("scalesweep-analysis-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>Builds trial results with a loss of our choosing.</summary>
internal static class Trials
{
    public static readonly DateTimeOffset Start = new(2025, 3, 14, 15, 9, 26, TimeSpan.Zero);

    public static TrialResult Make(string parameterization, int width, double log2Lr, int seed, double? evalLoss,
        TrialStatus status = TrialStatus.Completed, int curvePoints = 0, ImmutableSortedDictionary<string, double>? extra = null, string? error = null)
    {
        var key = $"{parameterization}-w{width}-lr{log2Lr:0.###}-s{seed}" + (extra is null ? "" : string.Concat(extra.Select(e => $"-{e.Key}{e.Value}")));
        return new TrialResult
        {
            SweepId = "sweep-1",
            TrialKey = key,
            Parameterization = parameterization,
            Model = "mlp",
            Optimizer = "adam",
            Width = width,
            Depth = 3,
            Experts = 0,
            ExpertWidth = 0,
            TopK = 0,
            Lr = Math.Pow(2, log2Lr),
            Seed = seed,
            Extra = extra ?? ImmutableSortedDictionary<string, double>.Empty,
            Status = status,
            FinalTrainLoss = evalLoss is { } l ? l + 0.01 : null,
            FinalEvalLoss = evalLoss,
            EvalAccuracy = evalLoss is null ? null : 0.5,
            BestEvalLoss = evalLoss,
            DivergedAtStep = status == TrialStatus.Diverged ? 17 : null,
            Steps = 100,
            Params = 123_456_789_012L,
            WallSeconds = 1.5,
            SamplesPerSecond = 1000,
            Silo = "silo-a",
            Attempt = 1,
            StartedAt = Start,
            FinishedAt = Start.AddSeconds(1.5),
            Error = error,
            Curve = [.. Enumerable.Range(1, curvePoints).Select(s => new CurvePoint(s * 10, 3.0 / s + (evalLoss ?? 0), s % 2 == 0 ? 2.5 / s : null, Math.Pow(2, log2Lr)))],
        };
    }

    /// <summary>A full grid: loss(w, x, seed) given; null loss means the trial diverged.</summary>
    public static List<TrialResult> Grid(string parameterization, IEnumerable<int> widths, IEnumerable<double> log2Lrs, IEnumerable<int> seeds, Func<int, double, int, double?> loss, int curvePoints = 0)
    {
        var list = new List<TrialResult>();
        foreach (var w in widths)
        foreach (var x in log2Lrs)
        foreach (var s in seeds)
        {
            var l = loss(w, x, s);
            list.Add(Make(parameterization, w, x, s, l, l is null ? TrialStatus.Diverged : TrialStatus.Completed, curvePoints));
        }
        return list;
    }

    public static double[] Range(double from, double to, double step) =>
        [.. Enumerable.Range(0, (int)Math.Round((to - from) / step) + 1).Select(i => from + i * step)];
}

/// <summary>Queries Parquet files with DuckDB, the way a downstream user would.</summary>
internal static class Duck
{
    public static List<object?[]> Query(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public static string File(string path) => $"read_parquet('{path.Replace("'", "''")}')";

    /// <summary>(column name, DuckDB type) of a Parquet file, in file order.</summary>
    public static List<(string Name, string Type)> Describe(string path) =>
        [.. Query($"DESCRIBE SELECT * FROM {File(path)}").Select(r => ((string)r[0]!, (string)r[1]!))];
}

/// <summary>Reads the size a PNG file declares, after checking its signature and IHDR chunk.</summary>
internal static class Png
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static (int Width, int Height) Size(string path)
    {
        var bytes = System.IO.File.ReadAllBytes(path);
        Assert.True(bytes.Length > 33, $"{path} is too short for a PNG");
        Assert.Equal(Signature, bytes[..8]);
        Assert.Equal(13, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8, 4)));
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }
}
