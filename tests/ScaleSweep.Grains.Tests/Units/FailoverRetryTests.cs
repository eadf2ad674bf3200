using Orleans.Runtime.Messaging;
using Orleans.Runtime;
using ScaleSweep.Hosting;

namespace ScaleSweep.Grains.Tests.Units;

public class FailoverRetryTests
{
    [Fact]
    public async Task Retries_failover_errors_until_the_call_answers()
    {
        var calls = 0;
        var answer = await FailoverRetry.Default.RunAsync("status", () =>
        {
            calls++;
            return calls switch
            {
                1 => throw new ConnectionFailedException("unable to connect to the dead silo"),
                2 => throw new TimeoutException("response timed out"),
                3 => throw new TaskCanceledException("connection attempt timed out"),
                _ => Task.FromResult(42),
            };
        });
        Assert.Equal(42, answer);
        Assert.Equal(4, calls);
    }

    [Fact]
    public async Task Gives_up_after_its_patience_with_one_line_naming_the_operation_and_the_last_error()
    {
        var retry = new FailoverRetry(TimeSpan.Zero);
        var calls = 0;
        var error = await Assert.ThrowsAsync<ClusterUnavailableException>(() => retry.RunAsync<int>("watch", () =>
        {
            calls++;
            throw new SiloUnavailableException("silo S1 is unavailable\n   at somewhere");
        }));
        Assert.Equal(1, calls);
        Assert.StartsWith("watch: the cluster did not answer within 0 s (SiloUnavailableException: silo S1 is unavailable", error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    [Fact]
    public async Task Does_not_retry_what_the_grain_threw_or_what_the_caller_cancelled()
    {
        var calls = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(() => FailoverRetry.Default.RunAsync<int>("submit", () =>
        {
            calls++;
            throw new InvalidOperationException("sweep id already used");
        }));
        Assert.Equal(1, calls);

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAsync<OperationCanceledException>(() => FailoverRetry.Default.RunAsync<int>("watch", () =>
        {
            calls++;
            throw new OperationCanceledException(cancelled.Token);
        }, cancelled.Token));
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Does_not_retry_a_refused_password_or_certificate()
    {
        var refusals = new Exception[]
        {
            new StackExchange.Redis.RedisConnectionException(StackExchange.Redis.ConnectionFailureType.AuthenticationFailure, "WRONGPASS invalid username-password pair"),
            new ConnectionFailedException("gateway handshake failed", new System.Security.Authentication.AuthenticationException("remote certificate rejected")),
            new ClusterAccessDeniedException("Redis refused the credentials"),
        };
        foreach (var refusal in refusals)
        {
            var calls = 0;
            var thrown = await Assert.ThrowsAnyAsync<Exception>(() => FailoverRetry.Default.RunAsync<int>("status", () =>
            {
                calls++;
                throw refusal;
            }));
            Assert.Same(refusal, thrown);
            Assert.Equal(1, calls);
        }
    }
}
