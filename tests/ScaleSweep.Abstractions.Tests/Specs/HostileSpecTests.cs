using ScaleSweep.Abstractions.Specs;
using static ScaleSweep.Abstractions.Tests.Specs.SpecSamples;

namespace ScaleSweep.Abstractions.Tests.Specs;

/// <summary>
/// Specs built to exhaust the loader (alias bombs, deep nesting, huge files, huge lists) are refused with bounded
/// memory and a clear error, never parsed to the end. The work is measured as this thread's allocations, which
/// neither a loaded machine nor tests running beside it change (a wall-clock bound failed on a loaded machine).
/// </summary>
public sealed class HostileSpecTests
{
    private const long MemoryBound = 64L << 20;

    [Fact]
    public void An_alias_bomb_is_refused()
    {
        // Nine levels of ten aliases: 10^9 values once expanded, a few hundred bytes on disk.
        var lines = new List<string> { "bomb0: &l0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var level = 1; level <= 9; level++)
            lines.Add($"bomb{level}: &l{level} [{string.Join(", ", Enumerable.Repeat($"*l{level - 1}", 10))}]");
        var error = Refused(Plus([.. lines]));
        Assert.Contains("more than 10,000 values (aliases expanded)", error.Message);
        Assert.True(error.Line >= 12, $"line {error.Line}");
    }

    [Fact]
    public void Ordinary_anchors_and_aliases_still_load()
    {
        var spec = Parse(With(4, "train:\n  optimizer: adam\n  steps: &n 16\n  batch: *n"));
        Assert.Equal((16, 16), (spec.Train.Steps, spec.Train.Batch));
    }

    [Fact]
    public void Deep_nesting_is_refused()
    {
        var depth = 100_000;
        var error = Refused(Plus("deep: " + new string('[', depth) + new string(']', depth)));
        Assert.Contains("nests deeper than 32 levels", error.Message);
        Assert.Equal(12, error.Line);
    }

    [Fact]
    public void A_list_of_100000_entries_is_refused_at_the_limit()
    {
        var (error, allocated) = RefusedWithWork(List(100_000));
        Assert.Contains("more than 10,000 values", error.Message);
        Assert.Equal(9, error.Line);
        // Stopping at the 10,001st value, refusing 100,000 entries costs what refusing 20,000 does; reading either
        // list to its end would cost five times as much for the longer one.
        var (_, allocatedShort) = RefusedWithWork(List(20_000));
        Assert.True(allocated < 1.5 * allocatedShort, $"allocated {allocated:N0} bytes for 100,000 entries, {allocatedShort:N0} for 20,000");
    }

    private static string List(int entries) => With(9, "  seed: [" + string.Join(", ", Enumerable.Range(0, entries)) + "]");

    [Fact]
    public void A_100_MB_spec_file_is_refused_without_reading_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"scalesweep-huge-{Guid.NewGuid():N}.yaml");
        try
        {
            using (var file = File.Create(path))
            {
                file.Write(System.Text.Encoding.UTF8.GetBytes(Text));
                file.SetLength(100L << 20);
            }
            var error = Refused(() => SweepSpecLoader.Load(path));
            Assert.Equal("the spec is 100 MiB; specs are limited to 1 MiB", error.Message);
            // Text of that size handed to the parser directly is refused too.
            Assert.Contains("specs are limited to 1 MiB", Refused(Text + new string('#', 2 << 20)).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static SpecError Refused(string yaml) => Refused(() => SweepSpecLoader.Parse(yaml, "hostile.yaml"));

    private static SpecError Refused(Func<SweepSpec> load) => RefusedWithWork(load).Error;

    private static (SpecError Error, long Allocated) RefusedWithWork(string yaml) => RefusedWithWork(() => SweepSpecLoader.Parse(yaml, "hostile.yaml"));

    private static (SpecError Error, long Allocated) RefusedWithWork(Func<SweepSpec> load)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<SpecValidationException>(() => load());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < MemoryBound, $"allocated {allocated >> 20} MiB while refusing");
        return (Assert.Single(error.Errors), allocated);
    }
}
