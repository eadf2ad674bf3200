using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace ScaleSweep.Tests.Shared;

/// <summary>What a finished <c>scalesweep</c> process left behind.</summary>
public sealed record CliOutcome(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// The built <c>scalesweep</c> CLI of the same configuration as the test assembly, run with <c>dotnet</c> as a
/// separate process, exactly as a user runs it. Linked into every test project that runs the CLI.
/// </summary>
public static class BuiltCli
{
    public static string Dll { get; } = Locate();

    /// <summary>The repository root (the folder of Orleans.sln): specs and examples are run from there.</summary>
    public static string RepositoryRoot { get; } = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Dll)!, "..", "..", "..", "..", ".."));

    public static ProcessStartInfo StartInfo(IEnumerable<string> args, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        info.ArgumentList.Add(Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        return info;
    }

    public static CliOutcome Run(TimeSpan timeout, string? workingDirectory, IReadOnlyDictionary<string, string>? environment, IReadOnlyList<string> args)
    {
        var info = StartInfo(args, workingDirectory);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scalesweep {string.Join(' ', args)} did not finish in {timeout}: {stderr.Result}");
        }
        return new CliOutcome(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// Runs a long command (a whole sweep) without a deadline on its total time, which a loaded machine can stretch
    /// without limit: it fails only when <paramref name="progressOf"/> finds no new progress token in the command's
    /// stdout lines for <paramref name="stallBound"/> (for <c>run</c>: the number of finished trials).
    /// </summary>
    public static CliOutcome RunWhileProgressing(TimeSpan stallBound, string? workingDirectory, Func<string, string?> progressOf,
        IReadOnlyList<string> args)
    {
        using var process = Process.Start(StartInfo(args, workingDirectory))!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = new StringBuilder();
        var sinceProgress = Stopwatch.StartNew();
        string? token = null;
        var reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (stdout)
                {
                    stdout.AppendLine(line);
                    if (progressOf(line) is not { } next || next == token) continue;
                    token = next;
                    sinceProgress.Restart();
                }
            }
        });
        while (!process.WaitForExit(TimeSpan.FromSeconds(1)))
        {
            lock (stdout)
            {
                if (sinceProgress.Elapsed <= stallBound) continue;
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"scalesweep {string.Join(' ', args)} made no progress for {stallBound} (last: {token ?? "none"}): {stdout}");
            }
        }
        process.WaitForExit();
        reading.Wait();
        return new CliOutcome(process.ExitCode, stdout.ToString(), stderr.Result);
    }

    private static string Locate()
    {
        // tests/<project>/bin/<Configuration>/<tfm>/ → src/ScaleSweep.Cli/bin/<Configuration>/<tfm>/scalesweep.dll
        var tfm = new DirectoryInfo(Path.GetDirectoryName(Assembly.GetExecutingAssembly().Location)!);
        var configuration = tfm.Parent!;
        var root = configuration.Parent!.Parent!.Parent!.Parent!;
        var dll = Path.Combine(root.FullName, "src", "ScaleSweep.Cli", "bin", configuration.Name, tfm.Name, "scalesweep.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"the scalesweep CLI is not built at {dll}");
        return dll;
    }
}
