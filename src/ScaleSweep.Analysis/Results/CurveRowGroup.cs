using Parquet;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Analysis.Results;

/// <summary>Encodes the loss curves of some trials as one row group of curves.parquet.</summary>
internal static class CurveRowGroup
{
    public static async Task WriteAsync(ParquetWriter writer, IReadOnlyList<TrialResult> trials, CancellationToken ct)
    {
        var rows = trials.SelectMany(t => t.Curve.Select(p => (t.SweepId, t.TrialKey, Point: p))).ToArray();
        var f = ResultSchemas.Curves.GetDataFields();
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(f[0], rows.Select(r => r.SweepId ?? "").ToArray());
        await group.WriteAsync(f[1], rows.Select(r => r.TrialKey).ToArray());
        await group.WriteAsync<int>(f[2], rows.Select(r => r.Point.Step).ToArray(), null, null, ct);
        await group.WriteAsync<double>(f[3], rows.Select(r => r.Point.TrainLoss).ToArray(), null, null, ct);
        await group.WriteAsync<double>(f[4], rows.Select(r => r.Point.EvalLoss).ToArray(), null, null, ct);
        await group.WriteAsync<double>(f[5], rows.Select(r => r.Point.Lr).ToArray(), null, null, ct);
        group.CompleteValidate();
    }
}
