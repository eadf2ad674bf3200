using ScaleSweep.Tests.Shared;

namespace ScaleSweep.Cli.Tests;

/// <summary>Runs the built <c>scalesweep</c> CLI as a child process and captures its output.</summary>
public static class ScaleSweepProcess
{
    public static string CliDll => BuiltCli.Dll;

    public static CliOutcome Run(params string[] args) => Run(TimeSpan.FromMinutes(5), null, args);

    public static CliOutcome Run(TimeSpan timeout, string? workingDirectory, params string[] args) =>
        BuiltCli.Run(timeout, workingDirectory, null, args);
}
