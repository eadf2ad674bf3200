using System.Collections.Immutable;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Training.Commands;

/// <summary>Where and what a command trial starts: the program's absolute path and the working folder, both checked.</summary>
public sealed record CommandLaunch(string Program, string Workdir, ImmutableSortedDictionary<string, string> Env)
{
    /// <summary>Resolves <paramref name="command"/> on this machine; null with the field path and message of the problem otherwise.</summary>
    public static CommandLaunch? Resolve(CommandConfig command, out (string Path, string Message)? error)
    {
        error = null;
        var workdir = Path.GetFullPath(command.Workdir ?? ".");
        if (!Directory.Exists(workdir))
        {
            error = ("model.workdir", $"folder '{command.Workdir}' does not exist on this machine (looked at {workdir})");
            return null;
        }
        var path = command.Env.TryGetValue("PATH", out var own) ? own : Environment.GetEnvironmentVariable("PATH");
        var program = ProgramLocator.Find(command.Program, workdir, path, out var message);
        if (program is null)
        {
            error = ("model.run[0]", message!);
            return null;
        }
        return new CommandLaunch(program, workdir, command.Env);
    }
}
