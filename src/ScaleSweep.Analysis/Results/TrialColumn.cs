using Parquet;
using Parquet.Schema;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Analysis.Results;

/// <summary>
/// One column of trials.parquet: its name, its Parquet field, how a <see cref="TrialResult"/> gives its value
/// and how a value read back is set on one. The columns themselves are listed in <see cref="TrialColumns"/>.
/// </summary>
/// <remarks>
/// A setter receives null when the file has no such column (an older file) or the value is null, and picks the
/// property's default itself. A column without a setter is derived from others and only written.
/// </remarks>
public abstract record TrialColumn(string Name)
{
    /// <summary>A new Parquet field for this column (a field belongs to the one schema it is added to).</summary>
    public abstract DataField CreateField();

    /// <summary>This column's value in <paramref name="row"/>, boxed (null where the row has none), for comparing rows.</summary>
    public abstract object? ValueOf(TrialResult row);

    /// <summary>Writes this column of <paramref name="rows"/> into a row group.</summary>
    internal abstract Task WriteAsync(ParquetRowGroupWriter group, DataField field, IReadOnlyList<TrialResult> rows, CancellationToken ct);

    /// <summary>
    /// Reads this column of a row group; the result sets the value of row i on a trial. Null for a derived column.
    /// </summary>
    internal abstract Task<Func<TrialResult, int, TrialResult>?> ReadAsync(ColumnReader columns, CancellationToken ct);

    /// <summary>A UTF-8 string column that is never null: a null string is written as "".</summary>
    public static TrialColumn Text(string name, Func<TrialResult, string> get, Func<TrialResult, string?, TrialResult> set) =>
        new TextColumn(name, IsNullable: false, r => get(r) ?? "", set);

    /// <summary>A UTF-8 string column that may be null.</summary>
    public static TrialColumn OptionalText(string name, Func<TrialResult, string?> get, Func<TrialResult, string?, TrialResult> set) =>
        new TextColumn(name, IsNullable: true, get, set);

    /// <summary>A required INT32, INT64 or DOUBLE column (<typeparamref name="T"/> int, long or double).</summary>
    public static TrialColumn Required<T>(string name, Func<TrialResult, T> get, Func<TrialResult, T?, TrialResult> set) where T : struct =>
        new RequiredColumn<T, T>(name, () => new DataField<T>(name), get, v => v, set);

    /// <summary>A required column computed from other properties: written for readers of the file, never read back.</summary>
    public static TrialColumn Derived<T>(string name, Func<TrialResult, T> get) where T : struct =>
        new RequiredColumn<T, T>(name, () => new DataField<T>(name), get, v => v, Set: null);

    /// <summary>An optional (nullable) INT32, INT64 or DOUBLE column.</summary>
    public static TrialColumn Optional<T>(string name, Func<TrialResult, T?> get, Func<TrialResult, T?, TrialResult> set) where T : struct =>
        new OptionalColumn<T>(name, () => new DataField<T?>(name), get, set);

    /// <summary>A required timestamp column: UTC microseconds (see <see cref="ResultSchemas.Timestamp"/>).</summary>
    public static TrialColumn Timestamp(string name, Func<TrialResult, DateTimeOffset> get, Func<TrialResult, DateTimeOffset?, TrialResult> set) =>
        new RequiredColumn<DateTime, DateTimeOffset>(name, () => ResultSchemas.Timestamp(name), get, v => v.UtcDateTime, (r, v) => set(r, AsUtc(v)));

    /// <summary>An extra swept value (<see cref="TrialResult.Extra"/>): an optional DOUBLE, null where a trial has no such key.</summary>
    public static TrialColumn Extra(string name) => Optional<double>(name,
        r => r.Extra.TryGetValue(name, out var v) ? v : null,
        (r, v) => v is { } value ? r with { Extra = r.Extra.SetItem(name, value) } : r);

    // Timestamps are stored as UTC without a zone marker; restore the offset explicitly.
    private static DateTimeOffset? AsUtc(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;

    private static Func<TrialResult, int, TrialResult> SetRow<T>(T[] values, Func<TrialResult, T, TrialResult> set) =>
        (row, i) => set(row, values[i]);

    private sealed record TextColumn(string Name, bool IsNullable, Func<TrialResult, string?> Get, Func<TrialResult, string?, TrialResult> Set)
        : TrialColumn(Name)
    {
        public override DataField CreateField() => new DataField<string>(Name, IsNullable);

        public override object? ValueOf(TrialResult row) => Get(row);

        internal override Task WriteAsync(ParquetRowGroupWriter group, DataField field, IReadOnlyList<TrialResult> rows, CancellationToken ct) =>
            group.WriteAsync(field, rows.Select(Get).ToArray()!);

        internal override async Task<Func<TrialResult, int, TrialResult>?> ReadAsync(ColumnReader columns, CancellationToken ct) =>
            SetRow(await columns.StringsAsync(Name, ct), Set);
    }

    /// <summary>A column that is never null: <typeparamref name="TValue"/> is the property's type, <typeparamref name="T"/> the stored one.</summary>
    private sealed record RequiredColumn<T, TValue>(
        string Name, Func<DataField> Field, Func<TrialResult, TValue> Get, Func<TValue, T> Store, Func<TrialResult, T?, TrialResult>? Set)
        : TrialColumn(Name) where T : struct
    {
        public override DataField CreateField() => Field();

        public override object? ValueOf(TrialResult row) => Get(row);

        internal override Task WriteAsync(ParquetRowGroupWriter group, DataField field, IReadOnlyList<TrialResult> rows, CancellationToken ct) =>
            group.WriteAsync<T>(field, rows.Select(r => Store(Get(r))).ToArray(), null, null, ct);

        internal override async Task<Func<TrialResult, int, TrialResult>?> ReadAsync(ColumnReader columns, CancellationToken ct) =>
            Set is null ? null : SetRow(await columns.ValuesAsync<T>(Name, ct), Set);
    }

    private sealed record OptionalColumn<T>(string Name, Func<DataField> Field, Func<TrialResult, T?> Get, Func<TrialResult, T?, TrialResult> Set)
        : TrialColumn(Name) where T : struct
    {
        public override DataField CreateField() => Field();

        public override object? ValueOf(TrialResult row) => Get(row);

        internal override Task WriteAsync(ParquetRowGroupWriter group, DataField field, IReadOnlyList<TrialResult> rows, CancellationToken ct) =>
            group.WriteAsync<T>(field, rows.Select(Get).ToArray(), null, null, ct);

        internal override async Task<Func<TrialResult, int, TrialResult>?> ReadAsync(ColumnReader columns, CancellationToken ct) =>
            SetRow(await columns.ValuesAsync<T>(Name, ct), Set);
    }
}
