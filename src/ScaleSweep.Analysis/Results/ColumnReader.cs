using Parquet;
using Parquet.Schema;

namespace ScaleSweep.Analysis.Results;

/// <summary>
/// Reads whole columns of one row group by name, tolerating columns that are absent (older files) or written
/// as required instead of optional: every value comes back nullable and the caller picks its default.
/// </summary>
internal sealed class ColumnReader(ParquetRowGroupReader group, ParquetSchema schema)
{
    public int RowCount { get; } = checked((int)group.RowCount);

    public bool Has(string name) => Find(name) is not null;

    public async Task<string?[]> StringsAsync(string name, CancellationToken ct)
    {
        var values = new string?[RowCount];
        if (Find(name) is { } field) await group.ReadAsync(field, values.AsMemory()!, null, ct);
        return values;
    }

    public async Task<T?[]> ValuesAsync<T>(string name, CancellationToken ct) where T : struct
    {
        var values = new T?[RowCount];
        if (Find(name) is not { } field) return values;
        if (field.ClrType != typeof(T))
            throw new InvalidDataException($"column '{name}' has type {field.ClrType.Name}, expected {typeof(T).Name}");
        if (field.IsNullable)
        {
            await group.ReadAsync<T>(field, values.AsMemory(), null, ct);
            return values;
        }
        var required = new T[RowCount];
        await group.ReadAsync<T>(field, required.AsMemory(), null, ct);
        for (var i = 0; i < required.Length; i++) values[i] = required[i];
        return values;
    }

    private DataField? Find(string name) => schema.GetDataFields().FirstOrDefault(f => f.Name == name);
}
