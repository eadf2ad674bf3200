using System.Collections.Immutable;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Analysis.Results;

/// <summary>Turns the columns of one trials.parquet row group back into <see cref="TrialResult"/>s.</summary>
internal static class TrialRowDecoder
{
    // A row before any column is set; each column's setter fills in its value or its default. Extra values are
    // keyed by ordinal name, as everywhere else in the results.
    private static readonly TrialResult Blank = new()
    {
        TrialKey = "",
        Parameterization = "",
        Model = "",
        Optimizer = "",
        Extra = ImmutableSortedDictionary.Create<string, double>(StringComparer.Ordinal),
    };

    public static async Task<TrialResult[]> DecodeAsync(ColumnReader c, ImmutableArray<string> extras, CancellationToken ct)
    {
        // The extra columns as the file lists them; every fixed column, present in the file or not.
        var setters = new List<Func<TrialResult, int, TrialResult>>();
        foreach (var column in TrialColumns.Leading.Concat(extras.Select(TrialColumn.Extra)).Concat(TrialColumns.Trailing))
        {
            if (await column.ReadAsync(c, ct) is { } set) setters.Add(set);
        }
        // Row by row, so that each row's intermediate copies die young.
        var rows = new TrialResult[c.RowCount];
        for (var i = 0; i < rows.Length; i++)
        {
            var row = Blank;
            foreach (var set in setters) row = set(row, i);
            rows[i] = row;
        }
        return rows;
    }
}
