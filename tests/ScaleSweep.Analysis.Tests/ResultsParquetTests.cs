using System.Collections.Immutable;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Results;
using ScaleSweep.Analysis.Transfer;

namespace ScaleSweep.Analysis.Tests;

public class ResultsParquetTests
{
    private static readonly ResultsWriterOptions Manual = new() { FlushInterval = Timeout.InfiniteTimeSpan };

    /// <summary>The documented contract (docs/results.md): names, order and DuckDB types.</summary>
    private static readonly (string, string)[] TrialColumns =
    [
        ("sweep_id", "VARCHAR"), ("trial_key", "VARCHAR"), ("parameterization", "VARCHAR"), ("model", "VARCHAR"),
        ("optimizer", "VARCHAR"), ("width", "INTEGER"), ("depth", "INTEGER"), ("experts", "INTEGER"),
        ("expert_width", "INTEGER"), ("top_k", "INTEGER"), ("lr", "DOUBLE"), ("log2_lr", "DOUBLE"), ("seed", "INTEGER"),
        ("dropout", "DOUBLE"), ("sigma_w2", "DOUBLE"),
        ("status", "VARCHAR"), ("final_train_loss", "DOUBLE"), ("final_eval_loss", "DOUBLE"), ("eval_accuracy", "DOUBLE"),
        ("best_eval_loss", "DOUBLE"), ("diverged_at_step", "INTEGER"), ("steps", "INTEGER"), ("params", "BIGINT"),
        ("wall_seconds", "DOUBLE"), ("samples_per_second", "DOUBLE"), ("silo", "VARCHAR"), ("attempt", "INTEGER"),
        ("started_at", "TIMESTAMP"), ("finished_at", "TIMESTAMP"), ("error", "VARCHAR"), ("reused_from", "VARCHAR"),
    ];

    private static readonly (string, string)[] CurveColumns =
    [
        ("sweep_id", "VARCHAR"), ("trial_key", "VARCHAR"), ("step", "INTEGER"), ("train_loss", "DOUBLE"), ("eval_loss", "DOUBLE"), ("lr", "DOUBLE"),
    ];

    private static readonly ImmutableSortedDictionary<string, double> Empty = ImmutableSortedDictionary<string, double>.Empty;

    private static ImmutableSortedDictionary<string, double> Extra(params (string, double)[] values) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, values.Select(v => KeyValuePair.Create(v.Item1, v.Item2)));

    [Fact]
    public void Extra_columns_are_the_swept_keys_without_a_column_of_their_own()
    {
        var settings = new SweepSettings(3, new TransferSettings("width", 1)) { SweptKeys = ["width", "lr", "seed", "sigma_w2", "dropout", "depth"] };
        Assert.Equal(new[] { "dropout", "sigma_w2" }, ResultColumns.ExtraColumnsFor(settings.SweptKeys));
    }

    [Fact]
    public async Task DuckDb_sees_the_documented_columns_and_types()
    {
        using var folder = new TempFolder();
        await using (var writer = await ResultsWriter.OpenAsync(folder.Path, ["sigma_w2", "dropout"], Manual))
        {
            await writer.AddAsync(Trials.Make("mup", 64, -9, 0, 1.25, curvePoints: 3, extra: Extra(("sigma_w2", 2.0))));
        }
        Assert.Equal(TrialColumns, Duck.Describe(ResultsFolder.Trials(folder.Path)));
        Assert.Equal(CurveColumns, Duck.Describe(ResultsFolder.Curves(folder.Path)));
        Assert.Equal(ResultColumns.TrialColumnsFor(["sigma_w2", "dropout"]), TrialColumns.Select(c => c.Item1));
    }

    [Fact]
    public async Task Values_round_trip_through_DuckDb_and_the_reader()
    {
        using var folder = new TempFolder();
        var diverged = Trials.Make("sp", 128, -4, 1, null, TrialStatus.Diverged, curvePoints: 2, extra: Extra(("dropout", 0.1)));
        var failed = Trials.Make("sp", 128, -5, 1, null, TrialStatus.Failed, error: "boom\nstack");
        var completed = Trials.Make("mup", 64, -9.5, 0, 1.25, curvePoints: 4, extra: Extra(("sigma_w2", 2.0), ("dropout", 0.0)));
        await using (var writer = await ResultsWriter.OpenAsync(folder.Path, ["sigma_w2", "dropout"], Manual))
        {
            foreach (var t in new[] { completed, diverged, failed }) Assert.True(await writer.AddAsync(t));
        }

        var row = Assert.Single(Duck.Query($"SELECT width, lr, log2_lr, sigma_w2, dropout, status, final_eval_loss, params, started_at, finished_at, error FROM {Duck.File(ResultsFolder.Trials(folder.Path))} WHERE trial_key = '{completed.TrialKey}'"));
        Assert.Equal(64, row[0]);
        Assert.Equal(Math.Pow(2, -9.5), (double)row[1]!, 15);
        Assert.Equal(-9.5, (double)row[2]!, 12);
        Assert.Equal(2.0, row[3]);
        Assert.Equal(0.0, row[4]);
        Assert.Equal("completed", row[5]);
        Assert.Equal(1.25, row[6]);
        Assert.Equal(123_456_789_012L, row[7]);
        Assert.Equal(Trials.Start.UtcDateTime, (DateTime)row[8]!);
        Assert.Equal(Trials.Start.UtcDateTime.AddSeconds(1.5), (DateTime)row[9]!);
        Assert.Null(row[10]);
        var divergedRow = Assert.Single(Duck.Query($"SELECT sigma_w2, dropout, status, diverged_at_step, final_eval_loss FROM {Duck.File(ResultsFolder.Trials(folder.Path))} WHERE trial_key = '{diverged.TrialKey}'"));
        Assert.Equal(new object?[] { null, 0.1, "diverged", 17, null }, divergedRow);
        var curve = Duck.Query($"SELECT step, train_loss, eval_loss FROM {Duck.File(ResultsFolder.Curves(folder.Path))} WHERE trial_key = '{completed.TrialKey}' ORDER BY step");
        Assert.Equal(completed.Curve.Select(p => (object?)p.Step), curve.Select(r => r[0]));
        Assert.Equal(completed.Curve.Select(p => (object?)p.EvalLoss), curve.Select(r => r[2]));

        var table = await ResultsReader.ReadAsync(folder.Path);
        Assert.Equal(new[] { "dropout", "sigma_w2" }, table.ExtraColumns);
        foreach (var original in new[] { completed, diverged, failed })
        {
            var back = table.Trials.Single(t => t.TrialKey == original.TrialKey);
            // Collections compare by reference inside the record: compare them by content separately.
            Assert.Equal(original with { Curve = [], Extra = Empty }, back with { Curve = [], Extra = Empty });
            Assert.Equal(original.Extra.ToArray(), back.Extra.ToArray());
            Assert.Equal(original.Curve.ToArray(), back.Curve.ToArray());
        }
    }

    [Fact]
    public async Task Sql_grid_minimum_agrees_with_the_analysis()
    {
        using var folder = new TempFolder();
        var random = new Random(11);
        var trials = Trials.Grid("sp", [64, 128, 256, 512], Trials.Range(-16, -4, 1), [0, 1, 2],
            (w, x, _) => x >= -5 ? null : Math.Pow(x - (-9 - Math.Log2(w / 64.0)), 2) + random.NextDouble() * 0.3)
            .Concat(Trials.Grid("mup", [64, 128, 256, 512], Trials.Range(-16, -4, 1), [0, 1, 2],
            (w, x, _) => Math.Pow(x + 9.3, 2) + random.NextDouble() * 0.3 + 1.0 / w));
        await using (var writer = await ResultsWriter.OpenAsync(folder.Path, [], Manual with { RowGroupTrials = 50 }))
        {
            foreach (var t in trials) await writer.AddAsync(t);
        }

        // Penalty = worst finite loss of the parameterization, as documented.
        var sql = $"""
            WITH t AS (SELECT * FROM {Duck.File(ResultsFolder.Trials(folder.Path))} WHERE status <> 'cancelled'),
            penalty AS (SELECT parameterization, max(final_eval_loss) AS worst FROM t WHERE status = 'completed' AND isfinite(final_eval_loss) GROUP BY parameterization),
            loss AS (SELECT t.parameterization, width, log2_lr,
                            CASE WHEN status = 'completed' AND isfinite(final_eval_loss) THEN final_eval_loss ELSE worst END AS loss
                     FROM t JOIN penalty USING (parameterization)),
            cell AS (SELECT parameterization, width, log2_lr, avg(loss) AS loss FROM loss GROUP BY ALL)
            SELECT parameterization, width, arg_min(log2_lr, loss) FROM cell GROUP BY ALL ORDER BY ALL
            """;
        var fromSql = Duck.Query(sql).Select(r => ((string)r[0]!, (double)(int)r[1]!, (double)r[2]!)).ToArray();

        var table = await ResultsReader.ReadAsync(folder.Path);
        var analysis = TransferAnalyzer.Analyze(table.Trials, new TransferSettings("width", 1.0));
        var fromCSharp = analysis.Report.Results
            .SelectMany(r => r.Points.Select(p => (r.Parameterization, p.Scale, p.Log2LrGridMin)))
            .OrderBy(x => x.Parameterization, StringComparer.Ordinal).ThenBy(x => x.Scale).ToArray();
        Assert.Equal(8, fromSql.Length);
        Assert.Equal(fromSql, fromCSharp);
    }

    [Fact]
    public async Task Transfer_parquet_is_readable_by_DuckDb()
    {
        using var folder = new TempFolder();
        var trials = Trials.Grid("mup", [64, 128], Trials.Range(-12, -6, 1), [0], (_, x, _) => Math.Pow(x + 9, 2));
        var report = TransferAnalyzer.Analyze(trials, new TransferSettings("width", 0.5)).Report;
        var path = Path.Combine(folder.Path, ResultsFolder.TransferParquetFile);
        await TransferFiles.WriteParquetAsync(path, report);
        Assert.Equal(
            [("parameterization", "VARCHAR"), ("axis", "VARCHAR"), ("scale", "DOUBLE"), ("log2_lr_grid_min", "DOUBLE"), ("log2_lr_opt", "DOUBLE"),
             ("ci_low", "DOUBLE"), ("ci_high", "DOUBLE"), ("loss", "DOUBLE"), ("at_grid_edge", "BOOLEAN"), ("slope", "DOUBLE"),
             ("spread", "DOUBLE"), ("tolerance_log2", "DOUBLE"), ("transfers", "BOOLEAN"), ("monotonic_improvement", "BOOLEAN"),
             ("basin_low", "DOUBLE"), ("basin_high", "DOUBLE"), ("verdict", "VARCHAR"), ("criterion", "VARCHAR"),
             ("spread_low", "DOUBLE"), ("spread_high", "DOUBLE"), ("penalty", "DOUBLE"), ("penalty_low", "DOUBLE"), ("penalty_high", "DOUBLE"),
             ("tolerance_loss", "DOUBLE"), ("seeds_to_settle", "INTEGER"),
             ("prediction_target", "DOUBLE"), ("prediction_log2_lr", "DOUBLE"), ("prediction_low", "DOUBLE"), ("prediction_high", "DOUBLE"),
             ("holdout_scale", "DOUBLE"), ("holdout_predicted_log2_lr", "DOUBLE"), ("holdout_measured_log2_lr", "DOUBLE"),
             ("holdout_error_log2", "DOUBLE"), ("holdout_loss_penalty", "DOUBLE"), ("holdout_loss_penalty_rel", "DOUBLE")],
            Duck.Describe(path));
        var rows = Duck.Query($"SELECT scale, log2_lr_opt, tolerance_log2, transfers, verdict, criterion, tolerance_loss, holdout_scale FROM {Duck.File(path)} ORDER BY scale");
        Assert.Equal(new List<object?[]>
        {
            new object?[] { 64.0, -9.0, 0.5, true, "transfers", "spread", null, null },
            new object?[] { 128.0, -9.0, 0.5, true, "transfers", "spread", null, null },
        }, rows);
    }

    [Fact]
    public async Task Transfer_parquet_holds_the_prediction_the_hold_out_and_the_basins()
    {
        using var folder = new TempFolder();
        var trials = Trials.Grid("mup", [64, 256, 1024], Trials.Range(-14, -4, 1), [0, 1], (w, x, s) => 2 + 0.1 * Math.Pow(x + 9 + 0.5 * Math.Log2(w / 64.0) + 0.2 * s, 2));
        var result = Assert.Single(TransferAnalyzer.Analyze(trials, new TransferSettings("width", 1.0) { ToleranceLoss = 0.01, Target = 8192 }).Report.Results);
        var path = Path.Combine(folder.Path, ResultsFolder.TransferParquetFile);
        await TransferFiles.WriteParquetAsync(path, new TransferReport([result]));
        var rows = Duck.Query($"""
            SELECT scale, basin_low, basin_high, penalty, penalty_low, penalty_high, prediction_target, prediction_log2_lr, prediction_low,
                   prediction_high, holdout_scale, holdout_predicted_log2_lr, holdout_measured_log2_lr, holdout_error_log2, holdout_loss_penalty,
                   holdout_loss_penalty_rel, verdict, criterion, tolerance_loss
            FROM {Duck.File(path)} ORDER BY scale
            """);
        Assert.Equal(3, rows.Count);
        var (p, h) = (result.Prediction!, result.Holdout!);
        for (var i = 0; i < rows.Count; i++)
        {
            var point = result.Points[i];
            Assert.Equal(new object?[]
            {
                point.Scale, point.BasinLow, point.BasinHigh, result.Penalty, result.PenaltyLow, result.PenaltyHigh, p.Target, p.Log2Lr, p.Low,
                p.High, h.Scale, h.PredictedLog2Lr, h.MeasuredLog2Lr, h.ErrorLog2, h.LossPenalty, h.LossPenaltyRel, result.Verdict, result.Criterion, 0.01,
            }, rows[i]);
        }
    }

    [Fact]
    public async Task Unknown_extra_keys_are_rejected()
    {
        using var folder = new TempFolder();
        await using var writer = await ResultsWriter.OpenAsync(folder.Path, ["sigma_w2"], Manual);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => writer.AddAsync(Trials.Make("mup", 64, -9, 0, 1, extra: Extra(("dropout", 0.1)))));
        Assert.Contains("dropout", error.Message);
    }

    [Fact]
    public async Task First_result_for_a_key_wins()
    {
        using var folder = new TempFolder();
        await using (var writer = await ResultsWriter.OpenAsync(folder.Path, [], Manual))
        {
            Assert.True(await writer.AddAsync(Trials.Make("mup", 64, -9, 0, 1.0)));
            await writer.FlushAsync();
            Assert.False(await writer.AddAsync(Trials.Make("mup", 64, -9, 0, 2.0)));
            Assert.Equal(1, writer.DuplicatesDropped);
        }
        Assert.Equal(1.0, Assert.Single((await ResultsReader.ReadAsync(folder.Path)).Trials).FinalEvalLoss);
    }
}
