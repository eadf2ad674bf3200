using System.ComponentModel;
using System.Diagnostics;

namespace ScaleSweep.Training.Data;

/// <summary>
/// The King James Bible as bytes, from Debian's <c>bible-kjv</c> package: the output of
/// <c>bible -f "Gen1:1-Rev22:21"</c> (about 4.4 MB: one verse a line, with its reference).
/// </summary>
public static class KingJamesBible
{
    public const string Program = "bible";
    public const string DebianPackage = "bible-kjv";
    private const string WholeBible = "Gen1:1-Rev22:21";

    /// <param name="program">The <c>bible</c> executable (injectable so a missing program can be tested).</param>
    public static byte[] Read(string program = Program)
    {
        var start = new ProcessStartInfo(program)
        {
            ArgumentList = { "-f", WholeBible },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw Unavailable($"could not start '{program}'");
        }
        catch (Win32Exception ex)
        {
            throw Unavailable($"the program '{program}' was not found ({ex.Message})");
        }
        using (process)
        {
            process.StandardInput.Close();
            var errors = process.StandardError.ReadToEndAsync();
            using var text = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(text);
            process.WaitForExit();
            if (process.ExitCode != 0 || text.Length == 0)
                throw Unavailable($"'{program} -f {WholeBible}' failed with exit code {process.ExitCode}: {errors.Result.Trim()}");
            return text.ToArray();
        }
    }

    private static DataUnavailableException Unavailable(string why) => new(
        $"the King James Bible text is unavailable: {why}; install the Debian package {DebianPackage} " +
        $"(sudo apt-get install {DebianPackage}) or pass a text file as the data path");
}
