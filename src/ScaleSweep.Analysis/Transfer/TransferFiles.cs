using System.Text.Json;
using Parquet.Schema;
using ScaleSweep.Analysis.Results;

namespace ScaleSweep.Analysis.Transfer;

/// <summary>Writes (and reads back) transfer.json and transfer.parquet (one row per point, result fields repeated).</summary>
public static class TransferFiles
{
    public static JsonSerializerOptions JsonOptions { get; } = new() { WriteIndented = true };

    public static string ToJson(TransferReport report) => JsonSerializer.Serialize(report, JsonOptions);

    public static TransferReport FromJson(string json) =>
        JsonSerializer.Deserialize<TransferReport>(json, JsonOptions) ?? throw new InvalidDataException("transfer.json is empty");

    public static void WriteJson(string path, TransferReport report) => ResultsFolder.WriteTextAtomic(path, ToJson(report) + "\n");

    /// <summary>Columns of transfer.parquet, in order.</summary>
    public static ParquetSchema ParquetSchema { get; } = new(
        new DataField<string>("parameterization", false),
        new DataField<string>("axis", false),
        new DataField<double>("scale"),
        new DataField<double>("log2_lr_grid_min"),
        new DataField<double>("log2_lr_opt"),
        new DataField<double>("ci_low"),
        new DataField<double>("ci_high"),
        new DataField<double>("loss"),
        new DataField<bool>("at_grid_edge"),
        new DataField<double?>("slope"),
        new DataField<double>("spread"),
        new DataField<double>("tolerance_log2"),
        new DataField<bool>("transfers"),
        new DataField<bool>("monotonic_improvement"));

    public static Task WriteParquetAsync(string path, TransferReport report, CancellationToken ct = default)
    {
        var rows = report.Results.SelectMany(r => r.Points.Select(p => (R: r, P: p))).ToArray();
        var f = ParquetSchema.GetDataFields();
        var file = new AtomicParquetFile(path, ParquetSchema);
        return file.ReplaceAsync(async writer =>
        {
            if (rows.Length == 0) return;
            using var g = writer.CreateRowGroup();
            await g.WriteAsync(f[0], rows.Select(x => x.R.Parameterization).ToArray());
            await g.WriteAsync(f[1], rows.Select(x => x.R.Axis).ToArray());
            await g.WriteAsync<double>(f[2], rows.Select(x => x.P.Scale).ToArray(), null, null, ct);
            await g.WriteAsync<double>(f[3], rows.Select(x => x.P.Log2LrGridMin).ToArray(), null, null, ct);
            await g.WriteAsync<double>(f[4], rows.Select(x => x.P.Log2LrOpt).ToArray(), null, null, ct);
            await g.WriteAsync<double>(f[5], rows.Select(x => x.P.CiLow).ToArray(), null, null, ct);
            await g.WriteAsync<double>(f[6], rows.Select(x => x.P.CiHigh).ToArray(), null, null, ct);
            await g.WriteAsync<double>(f[7], rows.Select(x => x.P.Loss).ToArray(), null, null, ct);
            await g.WriteAsync<bool>(f[8], rows.Select(x => x.P.AtGridEdge).ToArray(), null, null, ct);
            await g.WriteAsync<double>(f[9], rows.Select(x => x.R.Slope).ToArray(), null, null, ct);
            await g.WriteAsync<double>(f[10], rows.Select(x => x.R.Spread).ToArray(), null, null, ct);
            await g.WriteAsync<double>(f[11], rows.Select(x => x.R.ToleranceLog2).ToArray(), null, null, ct);
            await g.WriteAsync<bool>(f[12], rows.Select(x => x.R.Transfers).ToArray(), null, null, ct);
            await g.WriteAsync<bool>(f[13], rows.Select(x => x.R.MonotonicImprovement).ToArray(), null, null, ct);
            g.CompleteValidate();
        }, ct);
    }
}
