namespace ScaleSweep.Analysis.Results;

/// <summary>File names inside a results folder.</summary>
public static class ResultsFolder
{
    public const string TrialsFile = "trials.parquet";
    public const string CurvesFile = "curves.parquet";
    public const string TransferJsonFile = "transfer.json";
    public const string TransferParquetFile = "transfer.parquet";
    public const string ReportFile = "report.md";
    public const string SweepFile = "sweep.json";
    public const string SpecFile = "spec.yaml";
    public const string PlotsFolder = "plots";

    public static string Trials(string directory) => Path.Combine(directory, TrialsFile);

    public static string Curves(string directory) => Path.Combine(directory, CurvesFile);

    /// <summary>The temporary name a file is written under before it is renamed into place: hidden, same folder.</summary>
    public static string TempPathFor(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "." + Path.GetFileName(path) + ".tmp");

    /// <summary>Writes a small text file atomically (temporary name, then rename).</summary>
    public static void WriteTextAtomic(string path, string text)
    {
        var temp = TempPathFor(path);
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }
}
