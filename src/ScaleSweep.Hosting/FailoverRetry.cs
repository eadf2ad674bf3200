using System.Diagnostics;
using Orleans.Runtime.Messaging;

namespace ScaleSweep.Hosting;

/// <summary>
/// How long a cluster client waits out a failover. While a silo dies, calls to grains it hosted are rejected or
/// time out until membership declares it dead and the grains come back elsewhere (seconds, see docs/cluster.md);
/// a client retries such errors for <see cref="Patience"/> and then gives up with one clear message.
/// </summary>
public sealed record FailoverRetry(TimeSpan Patience)
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(2);

    public static FailoverRetry Default { get; } = new(TimeSpan.FromSeconds(60));

    /// <summary>Runs <paramref name="call"/>, retrying failover errors until <see cref="Patience"/> is spent.</summary>
    /// <exception cref="ClusterUnavailableException">The cluster still failed after <see cref="Patience"/>.</exception>
    public async Task<T> RunAsync<T>(string operation, Func<Task<T>> call, CancellationToken ct = default)
    {
        var waited = Stopwatch.StartNew();
        var pause = FirstPause;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (IsFailover(ex, ct))
            {
                if (waited.Elapsed + pause > Patience) throw Unavailable(operation, ex);
                await Task.Delay(pause, ct);
                pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
            }
        }
    }

    /// <summary>True while a connection error may still be a failover in progress (for Orleans' connection retry filter).</summary>
    public bool KeepsTrying(Exception error, TimeSpan waited, CancellationToken ct) => IsFailover(error, ct) && waited < Patience;

    public ClusterUnavailableException Unavailable(string operation, Exception last) =>
        new($"{operation}: the cluster did not answer within {Patience.TotalSeconds:0} s ({Describe(last)})", last);

    /// <summary>
    /// Errors of the transport and of grain placement (rejections, unavailable silos, response timeouts, connection
    /// attempts cancelled by their own timeout); never what a grain itself threw, what the caller cancelled, or a
    /// refusal of this process's credentials or certificate (retrying cannot fix those).
    /// </summary>
    public static bool IsFailover(Exception error, CancellationToken ct) => error switch
    {
        _ when RedisAccess.IsAuthentication(error) || ClusterTls.IsRefusal(error) => false,
        OperationCanceledException => !ct.IsCancellationRequested,
        TimeoutException or OrleansMessageRejectionException or ConnectionFailedException or GatewayTooBusyException => true,
        _ => false,
    };

    private static string Describe(Exception error) => $"{error.GetType().Name}: {error.Message.Split('\n')[0].Trim()}";
}

/// <summary>The cluster did not answer within the client's patience: a runtime failure (exit 1), one line.</summary>
public sealed class ClusterUnavailableException(string message, Exception inner) : Exception(message, inner);
