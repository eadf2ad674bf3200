using System.Diagnostics;
using System.Reflection;

namespace ScaleSweep.Cli.Tests;

/// <summary>Runs the built <c>scalesweep</c> CLI as a child process and captures its output.</summary>
public static class ScaleSweepProcess
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    /// <summary>The CLI build output of the same configuration as this test assembly.</summary>
    public static string CliDll { get; } = Locate();

    public static Outcome Run(params string[] args) => Run(TimeSpan.FromMinutes(5), null, args);

    public static Outcome Run(TimeSpan timeout, string? workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        info.ArgumentList.Add(CliDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scalesweep {string.Join(' ', args)} did not finish in {timeout}");
        }
        return new Outcome(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Locate()
    {
        var here = Path.GetDirectoryName(Assembly.GetExecutingAssembly().Location)!;
        // tests/ScaleSweep.Cli.Tests/bin/<Configuration>/<tfm>/ → src/ScaleSweep.Cli/bin/<Configuration>/<tfm>/scalesweep.dll
        var tfm = new DirectoryInfo(here);
        var configuration = tfm.Parent!;
        var root = configuration.Parent!.Parent!.Parent!.Parent!;
        var dll = Path.Combine(root.FullName, "src", "ScaleSweep.Cli", "bin", configuration.Name, tfm.Name, "scalesweep.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"the scalesweep CLI is not built at {dll}");
        return dll;
    }
}
