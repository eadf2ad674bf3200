using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ScaleSweep.Hosting;

/// <summary>Logs every peer certificate a TLS silo refuses (the refused side says so too; this is the other half of the story).</summary>
internal sealed class TlsRefusalLog(ClusterTls tls, ILoggerFactory loggers) : IHostedService
{
    private readonly ILogger _log = loggers.CreateLogger("ScaleSweep.Security");

    public Task StartAsync(CancellationToken ct)
    {
        tls.Refusals.Refused += Log;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct)
    {
        tls.Refusals.Refused -= Log;
        return Task.CompletedTask;
    }

    private void Log(string why) => _log.LogWarning("refused a TLS peer: {Why}", why);
}
