using System.Diagnostics;
using StackExchange.Redis;

namespace ScaleSweep.Hosting;

/// <summary>
/// Checks at start, before Orleans reaches for Redis, that Redis answers and accepts the configured credentials. A
/// Redis that does not answer yet (a silo started before it, a restart in progress) is waited for, up to the
/// caller's patience, and then reported in one line; a wrong password is not a failover: silos and clients stop at
/// once with one line instead of retrying until their patience runs out.
/// </summary>
public static class RedisAccess
{
    // A wrong password surfaces only when the connect attempt times out (the library keeps re-trying the handshake):
    // short enough to fail fast, long enough for a remote Redis.
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(1);

    /// <param name="waiting">Told once, with the reason, when the first probe gets no answer.</param>
    /// <exception cref="ClusterAccessDeniedException">Redis refused the credentials.</exception>
    /// <exception cref="ClusterUnavailableException">Redis did not answer within <paramref name="patience"/>.</exception>
    public static async Task VerifyAsync(ConfigurationOptions options, TimeSpan patience, Action<string>? waiting, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            var failure = await ProbeAsync(options, ct);
            if (failure is null) return;
            var reason = failure is RedisConnectionException connection ? connection.FailureType.ToString() : failure.GetType().Name;
            if (waited.Elapsed >= patience)
            {
                throw new ClusterUnavailableException(
                    $"Redis at {Endpoints(options)} did not answer within {patience.TotalSeconds:0} s ({reason}): check --redis and that Redis is running", failure);
            }
            if (attempt == 1) waiting?.Invoke($"waiting for Redis at {Endpoints(options)} ({reason}) …");
            await Task.Delay(Pause, ct);
        }
    }

    /// <summary>One connect and PING: null when Redis answered, else what went wrong.</summary>
    private static async Task<Exception?> ProbeAsync(ConfigurationOptions options, CancellationToken ct)
    {
        var probe = options.Clone();
        probe.AbortOnConnectFail = true;
        probe.ConnectRetry = 1;
        probe.ConnectTimeout = (int)ProbeTimeout.TotalMilliseconds;
        var connecting = ConnectionMultiplexer.ConnectAsync(probe);
        try
        {
            await using var connection = await connecting.WaitAsync(ProbeTimeout * 2, ct);
            // Some servers accept the connection and refuse the first command (NOAUTH without a password).
            await connection.GetDatabase().PingAsync().WaitAsync(ProbeTimeout, ct);
            return null;
        }
        catch (Exception ex) when (IsAuthentication(ex))
        {
            throw Denied(options);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException or TimeoutException)
        {
            // A connection that completes after the wait gave up is closed, not leaked.
            if (!connecting.IsCompleted)
                _ = connecting.ContinueWith(t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            return ex;
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
        $"Redis at {Endpoints(options)} refused the credentials (wrong or missing password or user in the Redis configuration)");

    private static string Endpoints(ConfigurationOptions options) => string.Join(", ", options.EndPoints.Select(Describe));

    private static string Describe(System.Net.EndPoint endpoint) => endpoint switch
    {
        System.Net.DnsEndPoint d => $"{d.Host}:{d.Port}",
        _ => endpoint.ToString() ?? "?",
    };
}

/// <summary>Redis or the cluster refused this process's credentials or certificate: a runtime failure (exit 1), one line, never retried.</summary>
public sealed class ClusterAccessDeniedException(string message) : Exception(message);
