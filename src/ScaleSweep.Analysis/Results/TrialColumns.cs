using System.Collections.Immutable;
using ScaleSweep.Abstractions.Trials;
using static ScaleSweep.Analysis.Results.TrialColumn;

namespace ScaleSweep.Analysis.Results;

/// <summary>
/// The fixed columns of trials.parquet in file order (a public contract, see docs/results.md): the one place that
/// says what each column holds. The schema, the writer and the reader are loops over this table, so a new column is
/// one entry here plus its <see cref="TrialResult"/> property. A sweep's extra columns sit between
/// <see cref="Leading"/> and <see cref="Trailing"/>.
/// </summary>
/// <remarks>
/// Setters choose what a missing value (an older file, a null) becomes: "" for text, 0 for counts, NaN for the
/// learning rate (0 would be a real rate), attempt 1, and "failed" for a status (a row that cannot say it
/// completed must not count as a result).
/// </remarks>
public static class TrialColumns
{
    /// <summary>Columns before the extra columns.</summary>
    public static ImmutableArray<TrialColumn> Leading { get; } =
    [
        Text(ResultColumns.SweepId, r => r.SweepId, (r, v) => r with { SweepId = v ?? "" }),
        Text(ResultColumns.TrialKey, r => r.TrialKey, (r, v) => r with { TrialKey = v ?? "" }),
        Text(ResultColumns.Parameterization, r => r.Parameterization, (r, v) => r with { Parameterization = v ?? "" }),
        Text(ResultColumns.Model, r => r.Model, (r, v) => r with { Model = v ?? "" }),
        Text(ResultColumns.Optimizer, r => r.Optimizer, (r, v) => r with { Optimizer = v ?? "" }),
        Required<int>(ResultColumns.Width, r => r.Width, (r, v) => r with { Width = v ?? 0 }),
        Required<int>(ResultColumns.Depth, r => r.Depth, (r, v) => r with { Depth = v ?? 0 }),
        Required<int>(ResultColumns.Experts, r => r.Experts, (r, v) => r with { Experts = v ?? 0 }),
        Required<int>(ResultColumns.ExpertWidth, r => r.ExpertWidth, (r, v) => r with { ExpertWidth = v ?? 0 }),
        Required<int>(ResultColumns.TopK, r => r.TopK, (r, v) => r with { TopK = v ?? 0 }),
        Required<double>(ResultColumns.Lr, r => r.Lr, (r, v) => r with { Lr = v ?? double.NaN }),
        Derived<double>(ResultColumns.Log2Lr, r => r.Log2Lr),
        Required<int>(ResultColumns.Seed, r => r.Seed, (r, v) => r with { Seed = v ?? 0 }),
    ];

    /// <summary>Columns after the extra columns.</summary>
    public static ImmutableArray<TrialColumn> Trailing { get; } =
    [
        Text(ResultColumns.Status, r => r.Status.ToName(), (r, v) => r with { Status = TrialStatusNames.Parse(v ?? "failed") }),
        Optional<double>(ResultColumns.FinalTrainLoss, r => r.FinalTrainLoss, (r, v) => r with { FinalTrainLoss = v }),
        Optional<double>(ResultColumns.FinalEvalLoss, r => r.FinalEvalLoss, (r, v) => r with { FinalEvalLoss = v }),
        Optional<double>(ResultColumns.EvalAccuracy, r => r.EvalAccuracy, (r, v) => r with { EvalAccuracy = v }),
        Optional<double>(ResultColumns.BestEvalLoss, r => r.BestEvalLoss, (r, v) => r with { BestEvalLoss = v }),
        Optional<int>(ResultColumns.DivergedAtStep, r => r.DivergedAtStep, (r, v) => r with { DivergedAtStep = v }),
        Required<int>(ResultColumns.Steps, r => r.Steps, (r, v) => r with { Steps = v ?? 0 }),
        Required<long>(ResultColumns.Params, r => r.Params, (r, v) => r with { Params = v ?? 0 }),
        Required<double>(ResultColumns.WallSeconds, r => r.WallSeconds, (r, v) => r with { WallSeconds = v ?? 0 }),
        Required<double>(ResultColumns.SamplesPerSecond, r => r.SamplesPerSecond, (r, v) => r with { SamplesPerSecond = v ?? 0 }),
        Text(ResultColumns.Silo, r => r.Silo, (r, v) => r with { Silo = v ?? "" }),
        Required<int>(ResultColumns.Attempt, r => r.Attempt, (r, v) => r with { Attempt = v ?? 1 }),
        Timestamp(ResultColumns.StartedAt, r => r.StartedAt, (r, v) => r with { StartedAt = v ?? default }),
        Timestamp(ResultColumns.FinishedAt, r => r.FinishedAt, (r, v) => r with { FinishedAt = v ?? default }),
        OptionalText(ResultColumns.Error, r => r.Error, (r, v) => r with { Error = v }),
        OptionalText(ResultColumns.ReusedFrom, r => r.ReusedFrom, (r, v) => r with { ReusedFrom = v }),
    ];

    /// <summary>
    /// The fixed columns that say which trial a row is (parameterization, model, optimizer, shape, lr, seed): a row's
    /// key is made from them and its extra columns; identity (sweep, key) and derived columns are not among them.
    /// </summary>
    public static ImmutableArray<TrialColumn> Configuration { get; } =
        [.. Leading.Where(c => c.Name is not (ResultColumns.SweepId or ResultColumns.TrialKey or ResultColumns.Log2Lr))];

    /// <summary><see cref="Configuration"/> and the extra columns of <paramref name="rows"/>.</summary>
    public static IEnumerable<TrialColumn> ConfigurationOf(IEnumerable<TrialResult> rows) =>
        Configuration.Concat(rows.SelectMany(r => r.Extra.Keys).Distinct().Order(StringComparer.Ordinal).Select(Extra));

    private static readonly ImmutableDictionary<string, TrialColumn> Fixed =
        ImmutableDictionary.CreateRange(StringComparer.Ordinal, Leading.Concat(Trailing).Select(c => KeyValuePair.Create(c.Name, c)));

    /// <summary>Every column of a trials.parquet with the given extra columns, in file order.</summary>
    public static ImmutableArray<TrialColumn> For(IEnumerable<string> extraColumns) =>
        [.. Leading, .. ResultColumns.ExtraColumnsFor(extraColumns).Select(Extra), .. Trailing];

    /// <summary>The column called <paramref name="name"/>: a fixed one, or else an extra column.</summary>
    public static TrialColumn Named(string name) => Fixed.TryGetValue(name, out var column) ? column : Extra(name);
}
