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

    /// <summary>Columns of transfer.parquet, in order (<see cref="TransferColumns"/>).</summary>
    public static ParquetSchema ParquetSchema { get; } = new(TransferColumns.All.Select(c => (Field)c.Field).ToArray());

    public static Task WriteParquetAsync(string path, TransferReport report, CancellationToken ct = default)
    {
        var rows = report.Results.SelectMany(r => r.Points.Select(p => new TransferRow(r, p))).ToArray();
        var file = new AtomicParquetFile(path, ParquetSchema);
        return file.ReplaceAsync(async writer =>
        {
            if (rows.Length == 0) return;
            using var g = writer.CreateRowGroup();
            foreach (var column in TransferColumns.All) await column.Write(g, rows, ct);
            g.CompleteValidate();
        }, ct);
    }
}
