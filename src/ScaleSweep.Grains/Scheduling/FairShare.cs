namespace ScaleSweep.Grains.Scheduling;

/// <summary>Splits a worker's free capacity across active sweeps.</summary>
internal static class FairShare
{
    /// <summary>
    /// Equal shares of <paramref name="capacity"/> over <paramref name="sweeps"/> sweeps; the remainder goes to the
    /// first ones. Callers rotate the sweep order on every request, so over many requests each active sweep gets
    /// the same number of leases (round robin when capacity is 1).
    /// </summary>
    public static int[] Split(int capacity, int sweeps)
    {
        var shares = new int[sweeps];
        if (sweeps == 0 || capacity <= 0) return shares;
        var each = capacity / sweeps;
        var extra = capacity % sweeps;
        for (var i = 0; i < sweeps; i++) shares[i] = each + (i < extra ? 1 : 0);
        return shares;
    }

    /// <summary>The list rotated left by <paramref name="offset"/>.</summary>
    public static List<T> Rotate<T>(IReadOnlyList<T> items, long offset)
    {
        var rotated = new List<T>(items.Count);
        if (items.Count == 0) return rotated;
        var start = (int)(offset % items.Count);
        for (var i = 0; i < items.Count; i++) rotated.Add(items[(start + i) % items.Count]);
        return rotated;
    }
}
