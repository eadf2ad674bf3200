using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ScaleSweep.Hosting;

/// <summary>Logs to stderr only (stdout carries results and <c>--json</c> documents), at the given level.</summary>
public static class QuietLogging
{
    /// <summary>Orleans' own categories log at <paramref name="orleansMinimum"/> (default: Error), ours at <paramref name="minimum"/>.</summary>
    public static ILoggingBuilder Apply(ILoggingBuilder logging, LogLevel minimum, LogLevel orleansMinimum = LogLevel.Error)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(minimum);
        var runtime = (LogLevel)Math.Max((int)minimum, (int)orleansMinimum);
        logging.AddFilter("Orleans", runtime);
        // The watchdog's first check after start measures from the machine's boot, not the silo's start, and warns
        // "Participant check thread has not completed for <uptime>" on every healthy start: only its errors show.
        logging.AddFilter("Orleans.Runtime.Watchdog", (LogLevel)Math.Max((int)runtime, (int)LogLevel.Error));
        // Orleans' placement retries log through Polly.
        logging.AddFilter("Polly", runtime);
        // The dashboard's web host logs every request at Information.
        logging.AddFilter("Microsoft.AspNetCore", (LogLevel)Math.Max((int)minimum, (int)LogLevel.Warning));
        logging.AddSimpleConsole(o => o.SingleLine = true);
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        return logging;
    }
}
