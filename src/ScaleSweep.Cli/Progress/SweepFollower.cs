using System.Diagnostics;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Cli.Commands;
using Spectre.Console;

namespace ScaleSweep.Cli.Progress;

/// <summary>How a follower polls and shows a sweep.</summary>
/// <param name="Poll">Time between status requests.</param>
/// <param name="PlainEvery">Non-terminal output: at most one progress line this often (and always a last one).</param>
/// <param name="Terminal">A live Spectre.Console view instead of plain lines.</param>
internal sealed record FollowOptions(TimeSpan Poll, TimeSpan PlainEvery, bool Terminal)
{
    /// <summary>Interactive when stdout is a terminal.</summary>
    public static bool StdoutIsTerminal => !Console.IsOutputRedirected;
}

/// <summary>Follows a sweep until its results are finalized, showing progress as <c>watch</c> and <c>run</c> do.</summary>
internal static class SweepFollower
{
    public static Task<SweepStatus> FollowAsync(SweepStatus first, Func<Task<SweepStatus>> poll, FollowOptions options, CancellationToken ct) =>
        options.Terminal ? LiveAsync(first, poll, options, ct) : PlainAsync(first, poll, options, ct);

    private static async Task<SweepStatus> PlainAsync(SweepStatus status, Func<Task<SweepStatus>> poll, FollowOptions options, CancellationToken ct)
    {
        var rate = new ProgressRate();
        var clock = Stopwatch.StartNew();
        TimeSpan? printed = null;
        string? resultsError = null;
        while (true)
        {
            rate.Observe(status);
            // On a line of its own (the progress line's format is fixed), when it appears, changes or clears.
            if (status.ResultsError != resultsError)
            {
                Console.Out.WriteLine(status.ResultsError is { } error ? SweepText.ResultsError(error) : "results error cleared: results written");
                resultsError = status.ResultsError;
            }
            var due = printed is not { } last || clock.Elapsed - last >= options.PlainEvery;
            if (status.Finalized || due)
            {
                Console.Out.WriteLine(ProgressText.Line(status, rate));
                printed = clock.Elapsed;
            }
            if (status.Finalized) return status;
            await Task.Delay(options.Poll, ct);
            status = await poll();
        }
    }

    private static async Task<SweepStatus> LiveAsync(SweepStatus status, Func<Task<SweepStatus>> poll, FollowOptions options, CancellationToken ct)
    {
        var rate = new ProgressRate();
        var clock = Stopwatch.StartNew();
        rate.Observe(status);
        await AnsiConsole.Live(LiveProgressView.Render(status, rate, clock.Elapsed))
            .AutoClear(false)
            .StartAsync(async live =>
            {
                while (!status.Finalized)
                {
                    await Task.Delay(options.Poll, ct);
                    status = await poll();
                    rate.Observe(status);
                    live.UpdateTarget(LiveProgressView.Render(status, rate, clock.Elapsed));
                    live.Refresh();
                }
            });
        return status;
    }
}
