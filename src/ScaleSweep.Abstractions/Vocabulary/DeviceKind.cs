using System.Collections.Immutable;

namespace ScaleSweep.Abstractions.Vocabulary;

/// <summary>
/// Where a trial asks to run (<c>resources.device</c>: cpu or cuda); a worker advertises the device it serves
/// (<c>--device cpu|cuda:N</c>).
/// </summary>
public sealed record DeviceKind(string Name) : IVocabularyWord
{
    public static DeviceKind Cpu { get; } = new("cpu");
    public static DeviceKind Cuda { get; } = new("cuda");

    public static IReadOnlyList<DeviceKind> All { get; } = [Cpu, Cuda];

    public static ImmutableArray<string> Names { get; } = Vocabulary.NamesOf(All);

    public static bool TryParse(string? name, out DeviceKind kind) => Vocabulary.TryParse(All, name, out kind);

    public static bool IsCuda(string device) => device.StartsWith(Cuda.Name, StringComparison.OrdinalIgnoreCase);

    /// <summary>A cuda trial needs a cuda worker; a cpu trial runs anywhere.</summary>
    public static bool CanRun(string workerDevice, string trialDevice) => !IsCuda(trialDevice) || IsCuda(workerDevice);
}
