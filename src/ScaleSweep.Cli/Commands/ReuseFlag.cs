using System.CommandLine;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Analysis.Results;

namespace ScaleSweep.Cli.Commands;

/// <summary>
/// <c>--reuse DIR</c> of <c>run</c> and <c>submit</c>: read here, on the machine that has the folder, and sent with the
/// plan (<see cref="SweepPlan.Reused"/>); the sweep adopts the rows at submission.
/// </summary>
internal static class ReuseFlag
{
    public const string Name = "--reuse";

    public static Option<string?> Create() => new(Name)
    {
        HelpName = "DIR",
        Description = "Take the completed and diverged trials of an earlier results folder whose trial keys (the same configuration) " +
            "are trials of this sweep instead of running them again; their rows are marked with reused_from (failed and cancelled trials run again).",
    };

    /// <summary>
    /// The plan with the matching rows of <paramref name="directory"/> attached (the plan itself when no folder is given).
    /// Every problem with the folder is a usage error naming the flag and the file; <paramref name="output"/>, when
    /// known, must be another folder (the same folder is what <c>--resume</c> is for).
    /// </summary>
    public static async Task<SweepPlan> AttachAsync(string? directory, SweepPlan plan, string? output, CancellationToken ct)
    {
        if (directory is null) return plan;
        var full = Path.GetFullPath(directory);
        if (!Directory.Exists(full)) throw new UsageException($"{Name}: {full} is not an existing folder");
        if (output is not null && SameFolder(full, output))
            throw new UsageException($"{Name}: {full} is the output folder: pass --resume to keep its results and run only the missing trials");
        try
        {
            var rows = await ReusedRows.ReadAsync(full, plan, ct);
            if (rows.IsEmpty) Console.Error.WriteLine($"note: {Name} {full}: no finished trial there is a trial of this sweep; running all {plan.Trials.Length}");
            return plan with { Reused = rows };
        }
        catch (InvalidDataException ex)
        {
            throw new UsageException($"{Name}: {ex.Message}");
        }
    }

    /// <summary>The summary line of a sweep that reused trials.</summary>
    public static string Summary(int reused, int total, string directory) => $"reused {reused} of {total} trials from {Path.GetFullPath(directory)}";

    private static bool SameFolder(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(a), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);
}
