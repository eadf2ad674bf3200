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
            await TrialColumns.Named(field.Name).WriteAsync(group, field, rows, ct);
        }
        group.CompleteValidate();
    }
}
