using System.Collections.Immutable;
using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Results;

namespace ScaleSweep.Analysis.Tests;

/// <summary><c>--reuse DIR</c> reading: which rows of an earlier folder are taken, and what is refused.</summary>
public class ReusedRowsTests
{
    private static readonly ResultsWriterOptions Manual = new() { FlushInterval = Timeout.InfiniteTimeSpan };

    private static PlannedTrial Planned(int width, int log2Lr)
    {
        var spec = new TrialSpec("mup", new ModelConfig("noop", width, 2), new DataConfig("synthetic"),
            new OptimConfig("adam", Math.Pow(2, log2Lr), Steps: 10, Batch: 8), new BaseShape(64, 2), Seed: 0, ParameterizationOptions.Default)
        {
            Extra = ImmutableSortedDictionary<string, double>.Empty.Add("dropout", 0.1),
        };
        return new PlannedTrial(TrialKey.For(spec), spec);
    }

    private static TrialResult Row(PlannedTrial trial, TrialStatus status) =>
        TrialRows.Compose(trial.Spec, new TrialAttempt("old-sweep", trial.Key, 1, "silo-a", Trials.Start, Trials.Start.AddSeconds(1)),
            TrialMeasurements.None(status) with { FinalTrainLoss = 1.0, Curve = [new CurvePoint(10, 1.0, null, trial.Spec.Optim.Lr)] });

    private static SweepPlan Plan(params PlannedTrial[] trials) =>
        new("reuse", [.. trials], new SweepSettings(3, new TransferSettings("width", 1)) { SweptKeys = ["width", "lr", "dropout"] });

    private static async Task Write(string folder, IEnumerable<TrialResult> rows)
    {
        await using var writer = await ResultsWriter.OpenAsync(folder, ["dropout"], Manual);
        foreach (var row in rows) await writer.AddAsync(row);
    }

    [Fact]
    public async Task Only_completed_and_diverged_rows_of_the_plans_keys_are_taken_with_their_curves()
    {
        using var folder = new TempFolder();
        var (completed, diverged, failed, cancelled, elsewhere, unplanned) =
            (Planned(64, -8), Planned(64, -4), Planned(128, -8), Planned(128, -4), Planned(256, -8), Planned(512, -8));
        await Write(folder.Path, [Row(completed, TrialStatus.Completed), Row(diverged, TrialStatus.Diverged), Row(failed, TrialStatus.Failed),
            Row(cancelled, TrialStatus.Cancelled), Row(unplanned, TrialStatus.Completed)]);

        var rows = await ReusedRows.ReadAsync(folder.Path, Plan(completed, diverged, failed, cancelled, elsewhere));

        Assert.Equal(new[] { completed.Key, diverged.Key }.Order(), rows.Select(r => r.TrialKey).Order());
        Assert.All(rows, r => Assert.Equal("old-sweep", r.SweepId));
        Assert.All(rows, r => Assert.Single(r.Curve));
        Assert.Equal(TrialStatus.Diverged, rows.Single(r => r.TrialKey == diverged.Key).Status);
    }

    [Fact]
    public async Task A_row_whose_configuration_disagrees_with_its_key_is_refused_naming_the_column()
    {
        using var folder = new TempFolder();
        var trial = Planned(64, -8);
        await Write(folder.Path, [Row(trial, TrialStatus.Completed) with { Width = 128 }]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReusedRows.ReadAsync(folder.Path, Plan(trial)));
        Assert.Contains(ResultsFolder.Trials(folder.Path), error.Message);
        Assert.Contains("width 128 there, 64 in the plan", error.Message);
    }

    [Fact]
    public void Every_configuration_column_and_extra_value_is_compared()
    {
        var trial = Planned(64, -8);
        var row = Row(trial, TrialStatus.Completed);
        Assert.Null(ReusedRows.Mismatch(trial, row));
        Assert.Contains("lr", ReusedRows.Mismatch(trial, row with { Lr = 0.5 }));
        Assert.Contains("seed", ReusedRows.Mismatch(trial, row with { Seed = 1 }));
        Assert.Contains("parameterization", ReusedRows.Mismatch(trial, row with { Parameterization = "sp" }));
        Assert.Contains("dropout", ReusedRows.Mismatch(trial, row with { Extra = row.Extra.SetItem("dropout", 0.2) }));
        Assert.Contains("dropout", ReusedRows.Mismatch(trial, row with { Extra = row.Extra.Clear() }));
    }

    [Fact]
    public async Task A_damaged_or_missing_file_is_an_error_naming_it()
    {
        using var folder = new TempFolder();
        var missing = await Assert.ThrowsAsync<InvalidDataException>(() => ReusedRows.ReadAsync(folder.Path, Plan(Planned(64, -8))));
        Assert.Contains(ResultsFolder.Trials(folder.Path), missing.Message);

        await File.WriteAllTextAsync(ResultsFolder.Trials(folder.Path), "PAR1 this is not parquet");
        var damaged = await Assert.ThrowsAsync<InvalidDataException>(() => ReusedRows.ReadAsync(folder.Path, Plan(Planned(64, -8))));
        Assert.Contains(ResultsFolder.Trials(folder.Path), damaged.Message);
    }
}
