using System.Collections.Immutable;
using Parquet;
using Parquet.Schema;

namespace ScaleSweep.Analysis.Transfer;

/// <summary>One row of transfer.parquet: a point with its result's fields repeated.</summary>
public sealed record TransferRow(TransferResult Result, TransferPoint Point);

/// <summary>
/// The columns of transfer.parquet in file order (a public contract, see docs/results.md), each described once:
/// its name, type and value. New columns go at the end.
/// </summary>
public static class TransferColumns
{
    public sealed record Column(DataField Field, Func<ParquetRowGroupWriter, TransferRow[], CancellationToken, Task> Write);

    public static ImmutableArray<Column> All { get; } =
    [
        Text("parameterization", r => r.Result.Parameterization),
        Text("axis", r => r.Result.Axis),
        Number("scale", r => r.Point.Scale),
        Number("log2_lr_grid_min", r => r.Point.Log2LrGridMin),
        Number("log2_lr_opt", r => r.Point.Log2LrOpt),
        Number("ci_low", r => r.Point.CiLow),
        Number("ci_high", r => r.Point.CiHigh),
        Number("loss", r => r.Point.Loss),
        Flag("at_grid_edge", r => r.Point.AtGridEdge),
        Optional("slope", r => r.Result.Slope),
        Number("spread", r => r.Result.Spread),
        Number("tolerance_log2", r => r.Result.ToleranceLog2),
        Flag("transfers", r => r.Result.Transfers),
        Flag("monotonic_improvement", r => r.Result.MonotonicImprovement),
        Number("basin_low", r => r.Point.BasinLow),
        Number("basin_high", r => r.Point.BasinHigh),
        Text("verdict", r => r.Result.Verdict),
        Text("criterion", r => r.Result.Criterion),
        Optional("spread_low", r => r.Result.SpreadLow),
        Optional("spread_high", r => r.Result.SpreadHigh),
        Optional("penalty", r => r.Result.Penalty),
        Optional("penalty_low", r => r.Result.PenaltyLow),
        Optional("penalty_high", r => r.Result.PenaltyHigh),
        Optional("tolerance_loss", r => r.Result.ToleranceLoss),
        OptionalCount("seeds_to_settle", r => r.Result.SeedsToSettle),
        Optional("prediction_target", r => r.Result.Prediction?.Target),
        Optional("prediction_log2_lr", r => r.Result.Prediction?.Log2Lr),
        Optional("prediction_low", r => r.Result.Prediction?.Low),
        Optional("prediction_high", r => r.Result.Prediction?.High),
        Optional("holdout_scale", r => r.Result.Holdout?.Scale),
        Optional("holdout_predicted_log2_lr", r => r.Result.Holdout?.PredictedLog2Lr),
        Optional("holdout_measured_log2_lr", r => r.Result.Holdout?.MeasuredLog2Lr),
        Optional("holdout_error_log2", r => r.Result.Holdout?.ErrorLog2),
        Optional("holdout_loss_penalty", r => r.Result.Holdout?.LossPenalty),
        Optional("holdout_loss_penalty_rel", r => r.Result.Holdout?.LossPenaltyRel),
    ];

    private static Column Text(string name, Func<TransferRow, string> get)
    {
        var field = new DataField<string>(name, false);
        return new Column(field, (g, rows, _) => g.WriteAsync(field, rows.Select(get).ToArray()));
    }

    private static Column Number(string name, Func<TransferRow, double> get)
    {
        var field = new DataField<double>(name);
        return new Column(field, (g, rows, ct) => g.WriteAsync<double>(field, rows.Select(get).ToArray(), null, null, ct));
    }

    private static Column Optional(string name, Func<TransferRow, double?> get)
    {
        var field = new DataField<double?>(name);
        return new Column(field, (g, rows, ct) => g.WriteAsync<double>(field, rows.Select(get).ToArray(), null, null, ct));
    }

    private static Column OptionalCount(string name, Func<TransferRow, int?> get)
    {
        var field = new DataField<int?>(name);
        return new Column(field, (g, rows, ct) => g.WriteAsync<int>(field, rows.Select(get).ToArray(), null, null, ct));
    }

    private static Column Flag(string name, Func<TransferRow, bool> get)
    {
        var field = new DataField<bool>(name);
        return new Column(field, (g, rows, ct) => g.WriteAsync<bool>(field, rows.Select(get).ToArray(), null, null, ct));
    }
}
