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

    public static ParquetSchema Trials(IEnumerable<string> extraColumns)
    {
        var fields = new List<Field>
        {
            new DataField<string>(ResultColumns.SweepId, false),
            new DataField<string>(ResultColumns.TrialKey, false),
            new DataField<string>(ResultColumns.Parameterization, false),
            new DataField<string>(ResultColumns.Model, false),
            new DataField<string>(ResultColumns.Optimizer, false),
            new DataField<int>(ResultColumns.Width),
            new DataField<int>(ResultColumns.Depth),
            new DataField<int>(ResultColumns.Experts),
            new DataField<int>(ResultColumns.ExpertWidth),
            new DataField<int>(ResultColumns.TopK),
            new DataField<double>(ResultColumns.Lr),
            new DataField<double>(ResultColumns.Log2Lr),
            new DataField<int>(ResultColumns.Seed),
        };
        fields.AddRange(ResultColumns.ExtraColumnsFor(extraColumns).Select(name => new DataField<double?>(name)));
        fields.AddRange(
        [
            new DataField<string>(ResultColumns.Status, false),
            new DataField<double?>(ResultColumns.FinalTrainLoss),
            new DataField<double?>(ResultColumns.FinalEvalLoss),
            new DataField<double?>(ResultColumns.EvalAccuracy),
            new DataField<double?>(ResultColumns.BestEvalLoss),
            new DataField<int?>(ResultColumns.DivergedAtStep),
            new DataField<int>(ResultColumns.Steps),
            new DataField<long>(ResultColumns.Params),
            new DataField<double>(ResultColumns.WallSeconds),
            new DataField<double>(ResultColumns.SamplesPerSecond),
            new DataField<string>(ResultColumns.Silo, false),
            new DataField<int>(ResultColumns.Attempt),
            Timestamp(ResultColumns.StartedAt),
            Timestamp(ResultColumns.FinishedAt),
            new DataField<string>(ResultColumns.Error, true),
        ]);
        return new ParquetSchema(fields);
    }

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
