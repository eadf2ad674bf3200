using System.Collections.Concurrent;

namespace ScaleSweep.Grains.Telemetry;

/// <summary>
/// One warning per condition per <see cref="Period"/>, carrying how often it recurred in between. While a silo dies
/// the same call fails every few hundred milliseconds until the failover is over; hundreds of identical warnings
/// (with stack traces) bury the one line that says what happened.
/// </summary>
internal sealed class RepeatedWarnings(TimeProvider time, TimeSpan period)
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset LoggedAt, int Since)> _seen = new(StringComparer.Ordinal);

    public static TimeSpan DefaultPeriod { get; } = TimeSpan.FromSeconds(30);

    public TimeSpan Period { get; } = period;

    /// <summary>
    /// Whether <paramref name="condition"/> should be logged now; <paramref name="repeats"/>: how many times it
    /// happened, unlogged, since it was last logged.
    /// </summary>
    public bool ShouldLog(string condition, out int repeats)
    {
        var now = time.GetUtcNow();
        var log = false;
        var since = 0;
        _seen.AddOrUpdate(condition,
            _ => { log = true; return (now, 0); },
            (_, seen) =>
            {
                if (now - seen.LoggedAt < Period) return (seen.LoggedAt, seen.Since + 1);
                log = true;
                since = seen.Since;
                return (now, 0);
            });
        repeats = since;
        return log;
    }

    /// <summary>The suffix a logged warning carries: nothing the first time, the unlogged repeats after.</summary>
    public static string Suffix(int repeats) => repeats > 0 ? $" (and {repeats} more times since the last warning)" : "";
}
