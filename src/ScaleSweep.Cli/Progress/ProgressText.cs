using System.Globalization;
using System.Text;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Cli.Commands;

namespace ScaleSweep.Cli.Progress;

/// <summary>
/// The plain progress line of <c>watch</c> and <c>run</c> when stdout is not a terminal: one line of space-separated
/// <c>key=value</c> fields (documented in docs/telemetry.md), e.g.
/// <c>progress sweep=ID state=running done=12 total=40 running=2 pending=25 failed=0 diverged=1 cancelled=0 rate_per_min=30.5 eta_s=56 best[width=64]=0.412@2^-9</c>,
/// and for a ladder sweep <c>grid=96 pruned=0 stage[mup]=3/4@512</c> after it.
/// </summary>
internal static class ProgressText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Line(SweepStatus s, ProgressRate rate)
    {
        var c = s.Counts;
        var line = new StringBuilder(160);
        line.Append(Inv, $"progress sweep={s.Id} state={SweepText.StateName(s.State)} done={c.Final} total={c.Total} running={c.Running}");
        line.Append(Inv, $" pending={c.Pending} failed={c.Failed} diverged={c.Diverged} cancelled={c.Cancelled}");
        line.Append(" rate_per_min=").Append(rate.PerMinute is { } r ? r.ToString("0.0", Inv) : "-");
        line.Append(" eta_s=").Append(rate.Eta is { } eta ? Math.Ceiling(eta.TotalSeconds).ToString("0", Inv) : "-");
        var labelled = s.Best.Select(b => b.Parameterization).Distinct().Count() > 1;
        foreach (var b in s.Best) line.Append(" best[").Append(ScaleLabel(b, labelled)).Append("]=").Append(Loss(b.Loss)).Append('@').Append(Lr(b.Lr));
        if (!s.Stages.IsDefaultOrEmpty) line.Append(" grid=").Append(s.GridTrials).Append(" pruned=").Append(c.Pruned);
        // Values hold no spaces: a ladder named "mup depth=4" is written "mup,depth=4".
        foreach (var st in s.Stages)
        {
            line.Append(" stage[").Append(st.Ladder.Replace(' ', ',')).Append("]=").Append(st.Opened).Append('/').Append(st.Scales)
                .Append('@').Append(Number(st.Scale)).Append(st.Done ? ":done" : "");
        }
        return line.ToString();
    }

    /// <summary><c>width=64</c>, or <c>mup:width=64</c> when the sweep has several parameterizations.</summary>
    public static string ScaleLabel(ScaleBest b, bool withParameterization) =>
        (withParameterization ? b.Parameterization + ":" : "") + b.Axis + "=" + Number(b.Scale);

    public static string Loss(double loss) => loss.ToString("G4", Inv);

    /// <summary>A learning rate as a power of two: <c>2^-9</c>, <c>2^-9.5</c>.</summary>
    public static string Lr(double lr) => lr > 0 ? "2^" + Math.Round(Math.Log2(lr), 2).ToString("0.##", Inv) : lr.ToString("G4", Inv);

    public static string Number(double value) => value.ToString("0.##", Inv);
}
