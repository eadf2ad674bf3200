using System.Collections.Immutable;
using Parquet.Schema;

namespace ScaleSweep.Analysis.Results;

/// <summary>Parquet schemas of trials.parquet and curves.parquet (names in <see cref="ResultColumns"/>).</summary>
public static class ResultSchemas
{
    /// <summary>
    /// Timestamps are INT64 microseconds with the legacy TIMESTAMP_MICROS annotation: DuckDB, pandas and Spark
    /// read it as a plain TIMESTAMP; the values are UTC (documented), which keeps readers from shifting them.
    /// </summary>
    public static DataField Timestamp(string name) =>
        new DateTimeDataField(name, DateTimeFormat.DateAndTimeMicros, isNullable: false);

    /// <summary>The schema of a trials.parquet with the given extra columns (fields from <see cref="TrialColumns"/>).</summary>
    public static ParquetSchema Trials(IEnumerable<string> extraColumns) =>
        new(TrialColumns.For(extraColumns).Select(c => c.CreateField()).ToArray<Field>());

    public static ParquetSchema Curves { get; } = new(
        new DataField<string>(ResultColumns.SweepId, false),
        new DataField<string>(ResultColumns.TrialKey, false),
        new DataField<int>(ResultColumns.Step),
        new DataField<double>(ResultColumns.TrainLoss),
        new DataField<double?>(ResultColumns.EvalLoss),
        new DataField<double>(ResultColumns.Lr));

    /// <summary>Names of the extra (per-sweep) columns found in a trials.parquet schema.</summary>
    public static ImmutableArray<string> ExtraColumnsOf(ParquetSchema schema) =>
        [.. schema.GetDataFields().Select(f => f.Name).Where(n => !ResultColumns.IsStandard(n))];
}
