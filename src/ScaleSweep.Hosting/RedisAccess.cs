using StackExchange.Redis;

namespace ScaleSweep.Hosting;

/// <summary>
/// Checks at start that Redis accepts the configured credentials. A wrong password is not a failover: silos and
/// clients stop at once with one line instead of retrying until their patience runs out. An unreachable Redis is
/// left to the usual retries (a silo may start before Redis).
/// </summary>
public static class RedisCredentials
{
    // A wrong password surfaces only when the connect attempt times out (the library keeps re-trying the handshake):
    // short enough to fail fast, long enough for a remote Redis; a probe that times out for other reasons changes nothing.
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <exception cref="ClusterAccessDeniedException">Redis refused the credentials.</exception>
    public static async Task VerifyAsync(ConfigurationOptions options, CancellationToken ct)
    {
        var probe = options.Clone();
        probe.AbortOnConnectFail = true;
        probe.ConnectRetry = 1;
        probe.ConnectTimeout = (int)ProbeTimeout.TotalMilliseconds;
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(probe).WaitAsync(ProbeTimeout * 2, ct);
            // Some servers accept the connection and refuse the first command (NOAUTH without a password).
            await connection.GetDatabase().PingAsync().WaitAsync(ProbeTimeout, ct);
        }
        catch (Exception ex) when (IsAuthentication(ex))
        {
            throw Denied(options);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException or TimeoutException)
        {
            // Unreachable or slow: the clustering provider retries as before.
        }
    }

    /// <summary>True for Redis' refusals of the credentials (wrong password or user, or none given where one is required).</summary>
    public static bool IsAuthentication(Exception error) => error switch
    {
        RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure } => true,
        RedisServerException server => server.Message.StartsWith("NOAUTH", StringComparison.Ordinal) || server.Message.StartsWith("WRONGPASS", StringComparison.Ordinal),
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsAuthentication),
        _ => error.InnerException is { } inner && IsAuthentication(inner),
    };

    public static ClusterAccessDeniedException Denied(ConfigurationOptions options) => new(
        $"Redis at {string.Join(", ", options.EndPoints.Select(Describe))} refused the credentials (wrong or missing password or user in the Redis configuration)");

    private static string Describe(System.Net.EndPoint endpoint) => endpoint switch
    {
        System.Net.DnsEndPoint d => $"{d.Host}:{d.Port}",
        _ => endpoint.ToString() ?? "?",
    };
}

/// <summary>Redis or the cluster refused this process's credentials or certificate: a runtime failure (exit 1), one line, never retried.</summary>
public sealed class ClusterAccessDeniedException(string message) : Exception(message);
