using System.CommandLine;
using ScaleSweep.Analysis.Results;
using ScaleSweep.Hosting;

namespace ScaleSweep.Cli;

/// <summary>
/// Runs the command line with the project's exit-code contract: 0 done, 1 runtime failure, 2 invalid input.
/// User mistakes (<see cref="UsageException"/>, parse errors) print one clear message, never a stack trace.
/// </summary>
public static class CliRunner
{
    public const int Ok = 0;
    public const int RuntimeFailure = 1;
    public const int InvalidInput = 2;

    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"error: {error.Message}");
            return InvalidInput;
        }
        try
        {
            // A silo handles SIGTERM itself (its host drains for --stop-grace, however long that is); other commands
            // get 30 s after SIGTERM to finish what they write.
            return await parsed.InvokeAsync(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = parsed.CommandResult.Command.Name == "silo" ? null : TimeSpan.FromSeconds(30),
            });
        }
        catch (Exception ex) when (ex is UsageException or UnreadableResultsException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return InvalidInput;
        }
        catch (Exception ex) when (ex is ClusterUnavailableException or ClusterAccessDeniedException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            if (Environment.GetEnvironmentVariable("SCALESWEEP_DEBUG") == "1") Console.Error.WriteLine(ex);
            return RuntimeFailure;
        }
        catch (OperationCanceledException ex)
        {
            Console.Error.WriteLine("cancelled");
            if (Environment.GetEnvironmentVariable("SCALESWEEP_DEBUG") == "1") Console.Error.WriteLine(ex);
            return RuntimeFailure;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"error: {ex.GetType().Name}: {ex.Message}");
            if (Environment.GetEnvironmentVariable("SCALESWEEP_DEBUG") == "1") Console.Error.WriteLine(ex);
            return RuntimeFailure;
        }
    }
}

/// <summary>A mistake in what the user asked for (a flag, a file, a value): exit code 2, message only.</summary>
public sealed class UsageException(string message) : Exception(message);
