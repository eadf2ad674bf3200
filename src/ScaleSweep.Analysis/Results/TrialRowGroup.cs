using Parquet;
using Parquet.Schema;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Analysis.Results;

/// <summary>Encodes trials as one row group of trials.parquet, column by column in schema order.</summary>
internal static class TrialRowGroup
{
    public static async Task WriteAsync(ParquetWriter writer, ParquetSchema schema, IReadOnlyList<TrialResult> rows, CancellationToken ct)
    {
        using var group = writer.CreateRowGroup();
        foreach (var field in schema.GetDataFields())
        {
            await WriteColumnAsync(group, field, rows, ct);
        }
        group.CompleteValidate();
    }

    private static Task WriteColumnAsync(ParquetRowGroupWriter g, DataField f, IReadOnlyList<TrialResult> rows, CancellationToken ct) => f.Name switch
    {
        ResultColumns.SweepId => g.WriteAsync(f, Strings(rows, r => r.SweepId)),
        ResultColumns.TrialKey => g.WriteAsync(f, Strings(rows, r => r.TrialKey)),
        ResultColumns.Parameterization => g.WriteAsync(f, Strings(rows, r => r.Parameterization)),
        ResultColumns.Model => g.WriteAsync(f, Strings(rows, r => r.Model)),
        ResultColumns.Optimizer => g.WriteAsync(f, Strings(rows, r => r.Optimizer)),
        ResultColumns.Width => g.WriteAsync<int>(f, Values(rows, r => r.Width), null, null, ct),
        ResultColumns.Depth => g.WriteAsync<int>(f, Values(rows, r => r.Depth), null, null, ct),
        ResultColumns.Experts => g.WriteAsync<int>(f, Values(rows, r => r.Experts), null, null, ct),
        ResultColumns.ExpertWidth => g.WriteAsync<int>(f, Values(rows, r => r.ExpertWidth), null, null, ct),
        ResultColumns.TopK => g.WriteAsync<int>(f, Values(rows, r => r.TopK), null, null, ct),
        ResultColumns.Lr => g.WriteAsync<double>(f, Values(rows, r => r.Lr), null, null, ct),
        ResultColumns.Log2Lr => g.WriteAsync<double>(f, Values(rows, r => r.Log2Lr), null, null, ct),
        ResultColumns.Seed => g.WriteAsync<int>(f, Values(rows, r => r.Seed), null, null, ct),
        ResultColumns.Status => g.WriteAsync(f, Strings(rows, r => r.Status.ToName())),
        ResultColumns.FinalTrainLoss => g.WriteAsync<double>(f, Values(rows, r => r.FinalTrainLoss), null, null, ct),
        ResultColumns.FinalEvalLoss => g.WriteAsync<double>(f, Values(rows, r => r.FinalEvalLoss), null, null, ct),
        ResultColumns.EvalAccuracy => g.WriteAsync<double>(f, Values(rows, r => r.EvalAccuracy), null, null, ct),
        ResultColumns.BestEvalLoss => g.WriteAsync<double>(f, Values(rows, r => r.BestEvalLoss), null, null, ct),
        ResultColumns.DivergedAtStep => g.WriteAsync<int>(f, Values(rows, r => r.DivergedAtStep), null, null, ct),
        ResultColumns.Steps => g.WriteAsync<int>(f, Values(rows, r => r.Steps), null, null, ct),
        ResultColumns.Params => g.WriteAsync<long>(f, Values(rows, r => r.Params), null, null, ct),
        ResultColumns.WallSeconds => g.WriteAsync<double>(f, Values(rows, r => r.WallSeconds), null, null, ct),
        ResultColumns.SamplesPerSecond => g.WriteAsync<double>(f, Values(rows, r => r.SamplesPerSecond), null, null, ct),
        ResultColumns.Silo => g.WriteAsync(f, Strings(rows, r => r.Silo)),
        ResultColumns.Attempt => g.WriteAsync<int>(f, Values(rows, r => r.Attempt), null, null, ct),
        ResultColumns.StartedAt => g.WriteAsync<DateTime>(f, Values(rows, r => r.StartedAt.UtcDateTime), null, null, ct),
        ResultColumns.FinishedAt => g.WriteAsync<DateTime>(f, Values(rows, r => r.FinishedAt.UtcDateTime), null, null, ct),
        ResultColumns.Error => g.WriteAsync(f, rows.Select(r => r.Error!).ToArray()),
        // Every other column is an extra swept value: null where this trial has no such key.
        _ => g.WriteAsync<double>(f, Values(rows, r => r.Extra.TryGetValue(f.Name, out var v) ? v : (double?)null), null, null, ct),
    };

    private static string[] Strings(IReadOnlyList<TrialResult> rows, Func<TrialResult, string> select) =>
        [.. rows.Select(r => select(r) ?? "")];

    private static T[] Values<T>(IReadOnlyList<TrialResult> rows, Func<TrialResult, T> select) => [.. rows.Select(select)];
}
