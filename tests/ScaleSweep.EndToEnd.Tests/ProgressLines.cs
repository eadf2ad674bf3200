using System.Text.RegularExpressions;

namespace ScaleSweep.EndToEnd.Tests;

/// <summary>One parsed <c>progress ...</c> line of <c>watch</c> / <c>run</c> (format in docs/telemetry.md).</summary>
public sealed record ProgressLine(string Sweep, string State, int Done, int Total, int Running, int Pending, int Failed, int Diverged,
    int Cancelled, double? RatePerMinute, int? EtaSeconds, IReadOnlyDictionary<string, (double Loss, double Log2Lr)> Best)
{
    private static readonly Regex Pattern = new(
        @"^progress sweep=(?<sweep>\S+) state=(?<state>[a-z]+) done=(?<done>\d+) total=(?<total>\d+) running=(?<running>\d+) " +
        @"pending=(?<pending>\d+) failed=(?<failed>\d+) diverged=(?<diverged>\d+) cancelled=(?<cancelled>\d+) " +
        @"rate_per_min=(?<rate>[0-9.]+|-) eta_s=(?<eta>\d+|-)(?<best>(?: best\[[^\]]+\]=[^@ ]+@2\^-?[0-9.]+)*)" +
        @"(?<ladder>(?: grid=\d+ pruned=\d+(?: stage\[[^\]]+\]=\d+/\d+@[0-9.]+(?::done)?)*)?)$");

    private static readonly Regex BestPattern = new(@"best\[(?<scale>[^\]]+)\]=(?<loss>[^@ ]+)@2\^(?<lr>-?[0-9.]+)");

    /// <summary>Every progress line of <paramref name="stdout"/>; any other line starting with "progress" fails the test.</summary>
    public static List<ProgressLine> Parse(string stdout)
    {
        var lines = new List<ProgressLine>();
        foreach (var line in stdout.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("progress ", StringComparison.Ordinal)))
        {
            var m = Pattern.Match(line);
            Assert.True(m.Success, $"not a progress line: {line}");
            int Int(string name) => int.Parse(m.Groups[name].Value);
            var best = BestPattern.Matches(m.Groups["best"].Value).ToDictionary(
                b => b.Groups["scale"].Value,
                b => (double.Parse(b.Groups["loss"].Value), double.Parse(b.Groups["lr"].Value)));
            lines.Add(new ProgressLine(m.Groups["sweep"].Value, m.Groups["state"].Value, Int("done"), Int("total"), Int("running"),
                Int("pending"), Int("failed"), Int("diverged"), Int("cancelled"),
                m.Groups["rate"].Value == "-" ? null : double.Parse(m.Groups["rate"].Value),
                m.Groups["eta"].Value == "-" ? null : Int("eta"), best));
        }
        return lines;
    }
}
