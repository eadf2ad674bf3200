namespace ScaleSweep.Analysis.Results;

/// <summary>
/// A results file exists but cannot be read back (truncated, corrupted, not Parquet, columns of the wrong type):
/// the user's input, not a runtime failure, so commands report it as invalid input and leave the folder alone.
/// </summary>
public sealed class UnreadableResultsException(string path, Exception cause)
    : IOException($"{path}: not a readable ScaleSweep results file ({cause.Message.Split('\n')[0].Trim()})", cause)
{
    public string Path { get; } = path;
}
