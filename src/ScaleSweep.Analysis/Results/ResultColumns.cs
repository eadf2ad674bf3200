using System.Collections.Immutable;

namespace ScaleSweep.Analysis.Results;

/// <summary>
/// Column names of <c>trials.parquet</c> and <c>curves.parquet</c> (a public contract, see docs/results.md), for code
/// that refers to a column by name; what each trials column holds is in <see cref="TrialColumns"/>.
/// Extra swept values (sigma_w2, dropout, ...) sit between <c>seed</c> and <c>status</c>, sorted by name.
/// </summary>
public static class ResultColumns
{
    public const string SweepId = "sweep_id";
    public const string TrialKey = "trial_key";
    public const string Parameterization = "parameterization";
    public const string Model = "model";
    public const string Optimizer = "optimizer";
    public const string Width = "width";
    public const string Depth = "depth";
    public const string Experts = "experts";
    public const string ExpertWidth = "expert_width";
    public const string TopK = "top_k";
    public const string Lr = "lr";
    public const string Log2Lr = "log2_lr";
    public const string Seed = "seed";
    public const string Status = "status";
    public const string FinalTrainLoss = "final_train_loss";
    public const string FinalEvalLoss = "final_eval_loss";
    public const string EvalAccuracy = "eval_accuracy";
    public const string BestEvalLoss = "best_eval_loss";
    public const string DivergedAtStep = "diverged_at_step";
    public const string Steps = "steps";
    public const string Params = "params";
    public const string WallSeconds = "wall_seconds";
    public const string SamplesPerSecond = "samples_per_second";
    public const string Silo = "silo";
    public const string Attempt = "attempt";
    public const string StartedAt = "started_at";
    public const string FinishedAt = "finished_at";
    public const string Error = "error";
    public const string ReusedFrom = "reused_from";

    public const string Step = "step";
    public const string TrainLoss = "train_loss";
    public const string EvalLoss = "eval_loss";

    /// <summary>Columns of trials.parquet before the extra columns (see <see cref="TrialColumns"/>).</summary>
    public static ImmutableArray<string> Leading { get; } = [.. TrialColumns.Leading.Select(c => c.Name)];

    /// <summary>Columns of trials.parquet after the extra columns (see <see cref="TrialColumns"/>).</summary>
    public static ImmutableArray<string> Trailing { get; } = [.. TrialColumns.Trailing.Select(c => c.Name)];

    /// <summary>Columns of curves.parquet, in order.</summary>
    public static ImmutableArray<string> Curves { get; } = [SweepId, TrialKey, Step, TrainLoss, EvalLoss, Lr];

    private static readonly ImmutableHashSet<string> Standard = [.. Leading, .. Trailing];

    /// <summary>True when <paramref name="name"/> is a fixed column of trials.parquet (not an extra column).</summary>
    public static bool IsStandard(string name) => Standard.Contains(name);

    /// <summary>
    /// The extra columns of a sweep: its swept grid keys that have no fixed column, sorted by name (ordinal),
    /// so that the schema is known before the first result arrives.
    /// </summary>
    public static ImmutableArray<string> ExtraColumnsFor(IEnumerable<string> sweptKeys) =>
        [.. sweptKeys.Where(k => !IsStandard(k)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Every trials.parquet column for the given extra columns, in file order.</summary>
    public static ImmutableArray<string> TrialColumnsFor(IEnumerable<string> extraColumns) =>
        [.. Leading, .. ExtraColumnsFor(extraColumns), .. Trailing];
}
