using System.Collections.Immutable;

namespace ScaleSweep.Abstractions.Vocabulary;

/// <summary>
/// Learning-rate schedules after warmup (<c>train.schedule</c>, <c>--schedule</c>): the LR multiplier as a function
/// of the progress through the decay phase, 0 → 1.
/// </summary>
public sealed record ScheduleKind(string Name, Func<double, double> Decay) : IVocabularyWord
{
    public static ScheduleKind Constant { get; } = new("constant", _ => 1);
    public static ScheduleKind Cosine { get; } = new("cosine", progress => 0.5 * (1 + Math.Cos(Math.PI * progress)));
    public static ScheduleKind Linear { get; } = new("linear", progress => 1 - progress);

    public static IReadOnlyList<ScheduleKind> All { get; } = [Constant, Cosine, Linear];

    public static ImmutableArray<string> Names { get; } = Vocabulary.NamesOf(All);

    public static bool TryParse(string? name, out ScheduleKind kind) => Vocabulary.TryParse(All, name, out kind);

    public static ScheduleKind Get(string name) => Vocabulary.Get(All, name, "schedule");
}
