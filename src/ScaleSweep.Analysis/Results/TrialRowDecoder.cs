using System.Collections.Immutable;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Analysis.Results;

/// <summary>Turns the columns of one trials.parquet row group back into <see cref="TrialResult"/>s.</summary>
internal static class TrialRowDecoder
{
    public static async Task<TrialResult[]> DecodeAsync(ColumnReader c, ImmutableArray<string> extras, CancellationToken ct)
    {
        var sweepId = await c.StringsAsync(ResultColumns.SweepId, ct);
        var key = await c.StringsAsync(ResultColumns.TrialKey, ct);
        var parameterization = await c.StringsAsync(ResultColumns.Parameterization, ct);
        var model = await c.StringsAsync(ResultColumns.Model, ct);
        var optimizer = await c.StringsAsync(ResultColumns.Optimizer, ct);
        var width = await c.ValuesAsync<int>(ResultColumns.Width, ct);
        var depth = await c.ValuesAsync<int>(ResultColumns.Depth, ct);
        var experts = await c.ValuesAsync<int>(ResultColumns.Experts, ct);
        var expertWidth = await c.ValuesAsync<int>(ResultColumns.ExpertWidth, ct);
        var topK = await c.ValuesAsync<int>(ResultColumns.TopK, ct);
        var lr = await c.ValuesAsync<double>(ResultColumns.Lr, ct);
        var seed = await c.ValuesAsync<int>(ResultColumns.Seed, ct);
        var extraValues = new double?[extras.Length][];
        for (var e = 0; e < extras.Length; e++) extraValues[e] = await c.ValuesAsync<double>(extras[e], ct);
        var status = await c.StringsAsync(ResultColumns.Status, ct);
        var finalTrain = await c.ValuesAsync<double>(ResultColumns.FinalTrainLoss, ct);
        var finalEval = await c.ValuesAsync<double>(ResultColumns.FinalEvalLoss, ct);
        var accuracy = await c.ValuesAsync<double>(ResultColumns.EvalAccuracy, ct);
        var bestEval = await c.ValuesAsync<double>(ResultColumns.BestEvalLoss, ct);
        var divergedAt = await c.ValuesAsync<int>(ResultColumns.DivergedAtStep, ct);
        var steps = await c.ValuesAsync<int>(ResultColumns.Steps, ct);
        var parameters = await c.ValuesAsync<long>(ResultColumns.Params, ct);
        var wall = await c.ValuesAsync<double>(ResultColumns.WallSeconds, ct);
        var samples = await c.ValuesAsync<double>(ResultColumns.SamplesPerSecond, ct);
        var silo = await c.StringsAsync(ResultColumns.Silo, ct);
        var attempt = await c.ValuesAsync<int>(ResultColumns.Attempt, ct);
        var started = await c.ValuesAsync<DateTime>(ResultColumns.StartedAt, ct);
        var finished = await c.ValuesAsync<DateTime>(ResultColumns.FinishedAt, ct);
        var error = await c.StringsAsync(ResultColumns.Error, ct);

        var rows = new TrialResult[c.RowCount];
        for (var i = 0; i < rows.Length; i++)
        {
            var extra = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
            for (var e = 0; e < extras.Length; e++)
            {
                if (extraValues[e][i] is { } v) extra[extras[e]] = v;
            }
            rows[i] = new TrialResult
            {
                SweepId = sweepId[i] ?? "",
                TrialKey = key[i] ?? "",
                Parameterization = parameterization[i] ?? "",
                Model = model[i] ?? "",
                Optimizer = optimizer[i] ?? "",
                Width = width[i] ?? 0,
                Depth = depth[i] ?? 0,
                Experts = experts[i] ?? 0,
                ExpertWidth = expertWidth[i] ?? 0,
                TopK = topK[i] ?? 0,
                Lr = lr[i] ?? double.NaN,
                Seed = seed[i] ?? 0,
                Extra = extra.ToImmutable(),
                Status = TrialStatusNames.Parse(status[i] ?? "failed"),
                FinalTrainLoss = finalTrain[i],
                FinalEvalLoss = finalEval[i],
                EvalAccuracy = accuracy[i],
                BestEvalLoss = bestEval[i],
                DivergedAtStep = divergedAt[i],
                Steps = steps[i] ?? 0,
                Params = parameters[i] ?? 0,
                WallSeconds = wall[i] ?? 0,
                SamplesPerSecond = samples[i] ?? 0,
                Silo = silo[i] ?? "",
                Attempt = attempt[i] ?? 1,
                StartedAt = AsUtc(started[i]),
                FinishedAt = AsUtc(finished[i]),
                Error = error[i],
            };
        }
        return rows;
    }

    // Timestamps are stored as UTC without a zone marker; restore the offset explicitly.
    private static DateTimeOffset AsUtc(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : default;
}
