using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Parquet;
using Parquet.Meta;
using Parquet.Schema;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Results;

namespace ScaleSweep.Analysis.Tests;

/// <summary>
/// The columns of trials.parquet against the contract: every column written with its documented Parquet type,
/// every <see cref="TrialResult"/> property written to its own column and read back.
/// </summary>
public class TrialColumnsTests
{
    private static readonly ResultsWriterOptions Manual = new() { FlushInterval = Timeout.InfiniteTimeSpan };

    /// <summary>
    /// The documented contract (docs/results.md): names, order, Parquet types and nullability, as the file's metadata
    /// states them (physical type and converted type; the docs leave out the INT_32/INT_64 that plain integers carry).
    /// </summary>
    private static readonly (string Name, string Type, bool Nullable)[] Contract =
    [
        ("sweep_id", "BYTE_ARRAY (UTF8)", false), ("trial_key", "BYTE_ARRAY (UTF8)", false),
        ("parameterization", "BYTE_ARRAY (UTF8)", false), ("model", "BYTE_ARRAY (UTF8)", false),
        ("optimizer", "BYTE_ARRAY (UTF8)", false), ("width", "INT32 (INT_32)", false), ("depth", "INT32 (INT_32)", false),
        ("experts", "INT32 (INT_32)", false), ("expert_width", "INT32 (INT_32)", false), ("top_k", "INT32 (INT_32)", false),
        ("lr", "DOUBLE", false), ("log2_lr", "DOUBLE", false), ("seed", "INT32 (INT_32)", false),
        ("dropout", "DOUBLE", true), ("sigma_w2", "DOUBLE", true),
        ("status", "BYTE_ARRAY (UTF8)", false), ("final_train_loss", "DOUBLE", true), ("final_eval_loss", "DOUBLE", true),
        ("eval_accuracy", "DOUBLE", true), ("best_eval_loss", "DOUBLE", true), ("diverged_at_step", "INT32 (INT_32)", true),
        ("steps", "INT32 (INT_32)", false), ("params", "INT64 (INT_64)", false), ("wall_seconds", "DOUBLE", false),
        ("samples_per_second", "DOUBLE", false), ("silo", "BYTE_ARRAY (UTF8)", false), ("attempt", "INT32 (INT_32)", false),
        ("started_at", "INT64 (TIMESTAMP_MICROS)", false), ("finished_at", "INT64 (TIMESTAMP_MICROS)", false),
        ("error", "BYTE_ARRAY (UTF8)", true), ("reused_from", "BYTE_ARRAY (UTF8)", true),
    ];

    private static readonly DateTimeOffset Started = new DateTimeOffset(2025, 3, 14, 15, 9, 26, TimeSpan.Zero).AddTicks(1_234_560);

    /// <summary>A trial with every property set to a value that is neither its default nor a reader's default.</summary>
    private static readonly TrialResult Full = new()
    {
        SweepId = "sweep-7",
        TrialKey = "key-7",
        Parameterization = "mup",
        Model = "moe",
        Optimizer = "adamw",
        Width = 256,
        Depth = 4,
        Experts = 8,
        ExpertWidth = 64,
        TopK = 2,
        Lr = 0.25,
        Seed = 3,
        Extra = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("dropout", 0.1), KeyValuePair.Create("sigma_w2", 2.0)]),
        Status = TrialStatus.Diverged,
        FinalTrainLoss = 1.5,
        FinalEvalLoss = 1.75,
        EvalAccuracy = 0.625,
        BestEvalLoss = 1.25,
        DivergedAtStep = 17,
        Steps = 40,
        Params = 123_456_789_012L,
        WallSeconds = 2.5,
        SamplesPerSecond = 800,
        Silo = "silo-b",
        Attempt = 3,
        StartedAt = Started,
        FinishedAt = Started.AddSeconds(2.5),
        Error = "boom",
        Curve = [new CurvePoint(10, 2.0, null, 0.25), new CurvePoint(20, 1.5, 1.75, 0.125)],
        ReusedFrom = "sweep-3",
    };

    /// <summary>What each column of <see cref="Full"/>'s row holds in the file, as DuckDB reads it.</summary>
    private static readonly (string Name, object? Value)[] FullRow =
    [
        ("sweep_id", "sweep-7"), ("trial_key", "key-7"), ("parameterization", "mup"), ("model", "moe"), ("optimizer", "adamw"),
        ("width", 256), ("depth", 4), ("experts", 8), ("expert_width", 64), ("top_k", 2), ("lr", 0.25), ("log2_lr", -2.0),
        ("seed", 3), ("dropout", 0.1), ("sigma_w2", 2.0), ("status", "diverged"), ("final_train_loss", 1.5),
        ("final_eval_loss", 1.75), ("eval_accuracy", 0.625), ("best_eval_loss", 1.25), ("diverged_at_step", 17),
        ("steps", 40), ("params", 123_456_789_012L), ("wall_seconds", 2.5), ("samples_per_second", 800.0),
        ("silo", "silo-b"), ("attempt", 3), ("started_at", Started.UtcDateTime), ("finished_at", Started.AddSeconds(2.5).UtcDateTime),
        ("error", "boom"), ("reused_from", "sweep-3"),
    ];

    private static readonly TrialResult Minimal = new() { TrialKey = "", Parameterization = "", Model = "", Optimizer = "" };

    [Fact]
    public async Task The_file_has_the_documented_Parquet_types()
    {
        using var folder = new TempFolder();
        await using (var writer = await ResultsWriter.OpenAsync(folder.Path, ["sigma_w2", "dropout"], Manual)) { await writer.AddAsync(Full); }

        await using var reader = await ParquetReader.CreateAsync(ResultsFolder.Trials(folder.Path));
        var columns = reader.Metadata!.Schema.Skip(1).Select(e =>
            (e.Name, e.ConvertedType is { } c ? $"{e.Type} ({c})" : $"{e.Type}", e.RepetitionType == FieldRepetitionType.OPTIONAL));
        Assert.Equal(Contract, columns.ToArray());
        Assert.Equal(Contract.Select(c => c.Name), ResultColumns.TrialColumnsFor(["sigma_w2", "dropout"]));
    }

    [Fact]
    public async Task Every_column_is_written_from_its_own_property()
    {
        using var folder = new TempFolder();
        await using (var writer = await ResultsWriter.OpenAsync(folder.Path, ["sigma_w2", "dropout"], Manual)) { await writer.AddAsync(Full); }

        var path = ResultsFolder.Trials(folder.Path);
        var names = Duck.Describe(path).Select(c => c.Name);
        var values = Assert.Single(Duck.Query($"SELECT * FROM {Duck.File(path)}"));
        Assert.Equal(FullRow, names.Zip(values));
    }

    [Fact]
    public async Task Every_property_reads_back()
    {
        AssertEveryPropertyDiffers(Full, Minimal);
        using var folder = new TempFolder();
        await using (var writer = await ResultsWriter.OpenAsync(folder.Path, ["sigma_w2", "dropout"], Manual)) { await writer.AddAsync(Full); }

        var back = Assert.Single((await ResultsReader.ReadAsync(folder.Path)).Trials);
        // Collections compare by reference inside the record: compare them by content separately.
        Assert.Equal(Full with { Extra = Minimal.Extra, Curve = [] }, back with { Extra = Minimal.Extra, Curve = [] });
        Assert.Equal(Full.Extra.ToArray(), back.Extra.ToArray());
        Assert.Equal(Full.Curve.ToArray(), back.Curve.ToArray());
    }

    [Fact]
    public void Every_property_but_the_collections_has_a_column_of_its_snake_case_name()
    {
        var properties = typeof(TrialResult).GetProperties()
            .Where(p => p.Name is not (nameof(TrialResult.Extra) or nameof(TrialResult.Curve)))
            .Select(p => Regex.Replace(p.Name, "(?<=[a-z0-9])([A-Z])", "_$1").ToLowerInvariant());
        Assert.Equal(properties.Order(StringComparer.Ordinal), ResultColumns.TrialColumnsFor([]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Columns_missing_from_an_older_file_read_as_their_defaults()
    {
        using var folder = new TempFolder();
        var schema = new ParquetSchema(new DataField<string>(ResultColumns.TrialKey, false));
        await using (var stream = File.Create(ResultsFolder.Trials(folder.Path)))
        await using (var writer = await ParquetWriter.CreateAsync(schema, stream))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(schema.GetDataFields()[0], ["old"]);
        }

        var back = Assert.Single((await ResultsReader.ReadAsync(folder.Path)).Trials);
        Assert.Equal(Minimal with { TrialKey = "old", Lr = double.NaN, Status = TrialStatus.Failed, Attempt = 1 }, back with { Extra = Minimal.Extra });
        Assert.Empty(back.Extra);
    }

    private static void AssertEveryPropertyDiffers(TrialResult a, TrialResult b)
    {
        foreach (var p in typeof(TrialResult).GetProperties())
        {
            Assert.False(Equals(p.GetValue(a), p.GetValue(b)), $"{p.Name} has its default value: the round trip would not test it");
        }
    }
}
