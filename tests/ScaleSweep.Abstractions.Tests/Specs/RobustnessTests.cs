using ScaleSweep.Abstractions.Specs;
using static ScaleSweep.Abstractions.Tests.Specs.SpecSamples;

namespace ScaleSweep.Abstractions.Tests.Specs;

/// <summary>Mangled specs are either valid or rejected with a validation error; nothing else escapes the parser.</summary>
public sealed class RobustnessTests
{
    private static readonly string[] Fragments = ["", ":", "[", "]", "{", "}", "-", "'", "\"", "*a", "&a", "!!int", "\t", "~", "0", "-1", "1e400", "x: y"];

    [Fact]
    public void Mutated_specs_never_crash()
    {
        var checkedCount = 0;
        for (var line = 0; line < Valid.Length; line++)
        {
            foreach (var fragment in Fragments)
            {
                foreach (var position in new[] { 0, Valid[line].Length / 2, Valid[line].Length })
                {
                    var lines = Valid.ToArray();
                    lines[line] = lines[line].Insert(position, fragment);
                    AssertParsesOrRejects(Join(lines));
                    checkedCount++;
                }
            }
            AssertParsesOrRejects(Join(Valid.Where((_, i) => i != line)));
            AssertParsesOrRejects(Text[..(Text.IndexOf(Valid[line], StringComparison.Ordinal) + Valid[line].Length / 2)]);
        }
        Assert.True(checkedCount > 500);
    }

    [Fact]
    public void Randomly_mangled_specs_never_crash()
    {
        const string rich = """
            name: moe-mix
            model: { kind: moe, depth: 2, heads: 4, aggregation: mean }
            data: { kind: text, path: data/x.txt }
            parameterizations:
              - mup
              - name: t
                residual: { l: -0.5 }
                roles:
                  input: { init_std: 1 }
                  hidden: { init_std: { fan_in: -0.5 }, adam: { lr: { n: -1 } } }
                  output: { init_std: 0, multiplier: { n: -1 } }
                  bias: { init_std: 0 }
            grid:
              width: { log2: { from: 5, to: 7, step: 1 } }
              experts: [2, 4]
              top_k: [1, 2]
              lr: { linear: { from: 0.001, to: 0.003, step: 0.001 } }
            limits: { max_trials: 500 }
            """;
        AssertParsesOrRejects(rich);
        Assert.Equal(2 * 3 * 2 * 2 * 3, Parse(rich).CountTrials());
        var random = new Random(1234);
        for (var i = 0; i < 3000; i++)
        {
            var text = rich;
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(text.Length + 1);
                text = random.Next(3) == 0 && at < text.Length
                    ? text.Remove(at, Math.Min(random.Next(1, 6), text.Length - at))
                    : text.Insert(at, Fragments[random.Next(Fragments.Length)]);
            }
            AssertParsesOrRejects(text);
        }
    }

    private static void AssertParsesOrRejects(string yaml)
    {
        try
        {
            var spec = Parse(yaml);
            Assert.Equal(spec.CountTrials(), spec.Expand().Trials.Length);
        }
        catch (SpecValidationException ex)
        {
            Assert.NotEmpty(ex.Errors);
        }
    }
}
