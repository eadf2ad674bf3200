using System.Globalization;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Cli.Commands;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ScaleSweep.Cli.Progress;

/// <summary>The interactive view of a sweep: progress bar, counts, pace and ETA, and the best loss per scale with its LR.</summary>
internal static class LiveProgressView
{
    private const int BarWidth = 40;

    public static IRenderable Render(SweepStatus s, ProgressRate rate, TimeSpan elapsed)
    {
        var c = s.Counts;
        var state = SweepText.StateName(s.State);
        var header = new Markup($"[bold]{Markup.Escape(s.Name)}[/] [grey]{Markup.Escape(s.Id)}[/]  {Markup.Escape(state)}  [grey]{SweepText.Duration(elapsed)}[/]");
        var counts = new Markup(
            $"done [bold]{c.Final}[/]/{c.Total}   running [blue]{c.Running}[/]   pending {c.Pending}   " +
            $"completed [green]{c.Completed}[/]   diverged [yellow]{c.Diverged}[/]   failed [red]{c.Failed}[/]" +
            (c.Cancelled > 0 ? $"   cancelled [grey]{c.Cancelled}[/]" : "") +
            (c.Pruned > 0 ? $"   pruned [grey]{c.Pruned}[/]" : ""));
        var pace = rate.PerMinute is { } r ? r.ToString("0.0", CultureInfo.InvariantCulture) + " trials/min" : "measuring pace…";
        var eta = rate.Eta is { } e ? "ETA " + SweepText.Duration(e) : "ETA –";
        var rows = new List<IRenderable> { header, Bar(c), counts, new Markup($"[grey]{pace}   {eta}[/]") };
        if (!s.Stages.IsDefaultOrEmpty)
        {
            rows.Add(new Markup($"[grey]{Markup.Escape(SweepText.Planned(s))}[/]"));
            rows.AddRange(s.Stages.Select(st => new Markup(Markup.Escape("ladder " + SweepText.Stage(st)))));
        }
        if (s.ResultsError is { } error) rows.Add(new Markup($"[red]{Markup.Escape(SweepText.ResultsError(error))}[/]"));
        if (!s.Best.IsDefaultOrEmpty) rows.Add(BestTable(s));
        return new Rows(rows);
    }

    /// <summary>A bar of final trials: completed green, diverged yellow, failed red, cancelled grey; running in blue after them.</summary>
    private static Markup Bar(TrialCounts c)
    {
        if (c.Total == 0) return new Markup("");
        int Cells(int n) => (int)Math.Round((double)n * BarWidth / c.Total);
        var completed = Cells(c.Completed);
        var diverged = Cells(c.Diverged);
        var failed = Cells(c.Failed);
        var cancelled = Cells(c.Cancelled);
        var running = Math.Min(Cells(c.Running), Math.Max(0, BarWidth - completed - diverged - failed - cancelled));
        var rest = Math.Max(0, BarWidth - completed - diverged - failed - cancelled - running);
        var percent = 100.0 * c.Final / c.Total;
        return new Markup(
            $"[green]{new string('█', completed)}[/][yellow]{new string('█', diverged)}[/][red]{new string('█', failed)}[/]" +
            $"[grey]{new string('█', cancelled)}[/][blue]{new string('▒', running)}[/][grey]{new string('░', rest)}[/] " +
            $"{c.Final}/{c.Total} ({percent.ToString("0", CultureInfo.InvariantCulture)}%)");
    }

    private static Table BestTable(SweepStatus s)
    {
        var axis = s.Best[0].Axis;
        var table = new Table().Border(TableBorder.Rounded).Title($"best loss so far by {Markup.Escape(axis)}");
        table.AddColumn("parameterization").AddColumn(new TableColumn(Markup.Escape(axis)).RightAligned())
            .AddColumn(new TableColumn("loss").RightAligned()).AddColumn(new TableColumn("lr").RightAligned());
        foreach (var b in s.Best)
            table.AddRow(Markup.Escape(b.Parameterization), ProgressText.Number(b.Scale), ProgressText.Loss(b.Loss), Markup.Escape(ProgressText.Lr(b.Lr)));
        return table;
    }
}
