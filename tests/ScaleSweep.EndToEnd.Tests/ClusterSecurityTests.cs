using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Net.Http.Headers;
using System.Text;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Hosting;
using ScaleSweep.Tests.Shared;
using Xunit.Abstractions;

namespace ScaleSweep.EndToEnd.Tests;

/// <summary>
/// A secured cluster on real processes: Redis with <c>requirepass</c>, mutual TLS with certificates made by
/// <c>infra/make-dev-certs.sh</c>, dashboards kept on loopback. Refusals must be one line, fast, and never echo a secret.
/// </summary>
public class ClusterSecurityTests(DevCertificates certificates, ITestOutputHelper output) : IClassFixture<DevCertificates>
{
    private const string Password = "pw-Xq7-never-printed";
    private static readonly TimeSpan Finish = TimeSpan.FromSeconds(120);

    // A client's patience with an unreachable cluster is 60 s: a refusal inside this is no retry loop (the messages,
    // which the retry path never prints, say so too); the margin is wide because a loaded machine may be slow.
    private static readonly TimeSpan Fast = TimeSpan.FromSeconds(55);

    [Fact]
    public void A_password_is_masked_in_every_echo_of_a_Redis_configuration()
    {
        Assert.Equal("h:1,password=*****,ssl=true", RedisAddress.Mask($"h:1,password={Password},ssl=true"));
        Assert.Equal("h:1, Password =*****", RedisAddress.Mask($"h:1, Password ={Password}"));
        var error = Assert.Throws<ArgumentException>(() => RedisAddress.Parse($"h:1,password={Password},bogus=1"));
        Assert.DoesNotContain(Password, error.Message);
        var options = RedisAddress.Parse($"h:6380,password={Password},user=sweeper,ssl=true");
        Assert.Equal((Password, "sweeper", true), (options.Password, options.User, options.Ssl));
    }

    [Fact]
    public async Task Redis_with_a_password_works_end_to_end_and_the_password_is_never_printed()
    {
        using var redis = RedisServer.Start(Password);
        var config = Path.Combine(Path.GetTempPath(), $"scalesweep-redis-{Guid.NewGuid():N}.conf");
        File.WriteAllText(config, $"# the cluster's Redis\n{redis.Address}\npassword={Password}\n");
        try
        {
            // Silo: --redis-config FILE; submit: SCALESWEEP_REDIS; status: --redis on the command line (warned about).
            using var cluster = new LocalCluster(redis) { Access = ["--redis-config", config] };
            var silos = await cluster.StartSilosAsync("auth-a");
            var spec = cluster.WriteSpec("e2e-redis-auth", workMs: 1);
            var submit = CliProcess.Run(CliProcess.ClientBound, new Dictionary<string, string> { ["SCALESWEEP_REDIS"] = redis.Configuration }, "submit", spec);
            Assert.True(submit.ExitCode == 0, submit.Stderr);
            var id = submit.Stdout.Trim();
            await cluster.WaitForAsync(id, s => s.State == SweepState.Completed, Finish);

            var status = CliProcess.Run(CliProcess.ClientBound, "status", id, "--redis", redis.Configuration);
            Assert.True(status.ExitCode == 0, status.Stderr);
            Assert.Contains("completed", status.Stdout);
            Assert.Contains("warning: --redis carries a password", status.Stderr);
            foreach (var text in new[] { submit.Stdout, submit.Stderr, status.Stdout, status.Stderr, silos[0].Log })
                Assert.DoesNotContain(Password, text);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public void A_wrong_or_missing_Redis_password_fails_at_start_with_one_line()
    {
        using var redis = RedisServer.Start(Password);
        var wrong = new Dictionary<string, string> { ["SCALESWEEP_REDIS"] = $"{redis.Address},password=wrong-{Password}" };
        var results = Path.Combine(Path.GetTempPath(), "scalesweep-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        var runs = new (string What, Func<CliOutcome> Run)[]
        {
            ("silo, wrong password", () => CliProcess.Run(CliProcess.ClientBound, wrong, "silo", "--silo-port", "0", "--gateway-port", "0", "--results", results)),
            ("status, wrong password", () => CliProcess.Run(CliProcess.ClientBound, wrong, "status", "some-sweep")),
            ("list, no password", () => CliProcess.Run(CliProcess.ClientBound, "list", "--redis", redis.Address)),
        };
        foreach (var (what, run) in runs)
        {
            var clock = Stopwatch.StartNew();
            var outcome = run();
            output.WriteLine($"{what}: exit {outcome.ExitCode} after {clock.Elapsed.TotalSeconds:0.0} s: {outcome.Stderr.Trim()}");
            Assert.True(clock.Elapsed < Fast, $"{what}: {clock.Elapsed}");
            Assert.Equal(1, outcome.ExitCode);
            Assert.Equal([$"error: Redis at {redis.Address} refused the credentials (wrong or missing password or user in the Redis configuration)"], Lines(outcome.Stderr));
            Assert.DoesNotContain(Password, outcome.Stdout + outcome.Stderr);
        }
    }

    [Fact]
    public async Task Silos_and_a_client_with_certificates_from_the_CA_work_and_others_are_refused()
    {
        using var redis = RedisServer.Start();
        using var cluster = new LocalCluster(redis)
        {
            Access = ["--redis", redis.Address, .. certificates.Flags(certificates.Cluster, "silo")],
            Tls = ClusterTls.Load(Path.Combine(certificates.Cluster, "client.pem"), Path.Combine(certificates.Cluster, "client.key"), null, null,
                Path.Combine(certificates.Cluster, "ca.pem")),
        };
        var silos = await cluster.StartSilosAsync("tls-a", "tls-b");
        var spec = cluster.WriteSpec("e2e-tls", workMs: 1);
        string[] client = ["--redis", redis.Address, .. certificates.Flags(certificates.Cluster, "client")];
        var submit = CliProcess.Run(CliProcess.ClientBound, ["submit", spec, .. client]);
        Assert.True(submit.ExitCode == 0, submit.Stderr);
        var id = submit.Stdout.Trim();
        var done = await cluster.WaitForAsync(id, s => s.State == SweepState.Completed, Finish);
        Assert.Equal(63, done.Counts.Completed);
        var status = CliProcess.Run(CliProcess.ClientBound, ["status", id, "--json", .. client]);
        Assert.True(status.ExitCode == 0, status.Stderr);
        Assert.Contains("\"completed\":63", status.Stdout);

        var refusals = new (string What, string[] Flags, string Expected)[]
        {
            ("no certificate", ["--redis", redis.Address], "requires TLS: give --tls-cert/--tls-key (or --tls-pfx) and --tls-ca"),
            ("another CA's certificate", ["--redis", redis.Address, .. certificates.Flags(certificates.Other, "client")], "is not signed by the cluster CA"),
        };
        foreach (var (what, flags, expected) in refusals)
        {
            var clock = Stopwatch.StartNew();
            var refused = CliProcess.Run(CliProcess.ClientBound, ["status", id, .. flags]);
            output.WriteLine($"{what}: exit {refused.ExitCode} after {clock.Elapsed.TotalSeconds:0.0} s: {refused.Stderr.Trim()}");
            Assert.True(clock.Elapsed < Fast, $"{what}: {clock.Elapsed}");
            Assert.Equal(1, refused.ExitCode);
            Assert.Equal("", refused.Stdout);
            var line = Assert.Single(Lines(refused.Stderr));
            Assert.StartsWith("error: TLS: ", line);
            Assert.Contains(expected, line);
        }
        // Which side refuses the other CA first depends on the handshake's interleaving (the client may abort before it
        // sends its certificate), so the silo's "refused a TLS peer" line is not asserted: the refused client's one
        // line above is the message the user sees.
        Assert.All(silos, s => Assert.DoesNotContain("without TLS", s.Log));
    }

    [Fact]
    public async Task A_silo_bound_to_every_interface_serves_its_dashboard_on_loopback_only()
    {
        var external = NonLoopbackAddress();
        using var cluster = new LocalCluster();
        var port = FreePorts.Next();
        var silo = (await cluster.StartSilosAsync(["open-a"], ["--bind", "0.0.0.0", "--dashboard-port", port.ToString()]))[0];
        Assert.Contains($"dashboard http://127.0.0.1:{port}/", silo.Log);
        Assert.Contains("warning: this silo listens on 0.0.0.0 without TLS", silo.Log);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{port}/")).StatusCode);
        // The silo's own ports do listen on that address (the bind took effect); the dashboard's does not.
        using (var gateway = new TcpClient()) await gateway.ConnectAsync(external, GatewayPort(silo));
        using var dashboard = new TcpClient();
        var refused = await Assert.ThrowsAsync<SocketException>(() => dashboard.ConnectAsync(external, port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task A_dashboard_bound_to_the_network_asks_for_its_credentials()
    {
        var external = NonLoopbackAddress();
        using var cluster = new LocalCluster { Environment = new Dictionary<string, string> { [DashboardCredentials.Variable] = $"admin:{Password}" } };
        var port = FreePorts.Next();
        await cluster.StartSilosAsync(["open-b"], ["--dashboard-port", port.ToString(), "--dashboard-bind", "0.0.0.0"]);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var url = $"http://{external}:{port}/";
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(url)).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Authorization = Basic("admin", "not-it") } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
        using var right = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Authorization = Basic("admin", Password) } };
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(right)).StatusCode);

        // Without credentials, a dashboard beyond loopback is refused before the silo starts.
        var bare = CliProcess.Run(CliProcess.ClientBound, "silo", "--redis", cluster.Redis.Address, "--dashboard-port", "1", "--dashboard-bind", "0.0.0.0");
        Assert.Equal(2, bare.ExitCode);
        Assert.Contains("--dashboard-bind: a dashboard on 0.0.0.0 needs credentials", bare.Stderr);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The gateway port from the silo's ready line (<c>..., gateway N, ...</c>).</summary>
    private static int GatewayPort(SiloProcess silo)
    {
        var ready = silo.Log.Split('\n').First(l => l.StartsWith("silo ready", StringComparison.Ordinal));
        var words = ready.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return int.Parse(words[Array.IndexOf(words, "gateway") + 1].TrimEnd(','));
    }

    private static IPAddress NonLoopbackAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? throw new InvalidOperationException("this machine has no non-loopback IPv4 address: the dashboard test needs one");
}

/// <summary>Two CAs with their silo and client certificates, made once by <c>infra/make-dev-certs.sh</c>.</summary>
public sealed class DevCertificates : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "scalesweep-certs-" + Guid.NewGuid().ToString("N")[..8]);

    public DevCertificates()
    {
        Cluster = Make("cluster");
        Other = Make("other");
    }

    /// <summary>The cluster's CA and certificates.</summary>
    public string Cluster { get; }

    /// <summary>Another CA's, trusted by nobody in the cluster.</summary>
    public string Other { get; }

    public string[] Flags(string folder, string name) =>
        ["--tls-cert", Path.Combine(folder, name + ".pem"), "--tls-key", Path.Combine(folder, name + ".key"), "--tls-ca", Path.Combine(folder, "ca.pem")];

    private string Make(string name)
    {
        var folder = Path.Combine(_root, name);
        var script = Path.Combine(RepositoryRoot(), "infra", "make-dev-certs.sh");
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { script, folder, "2" }) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"make-dev-certs.sh failed: {stderr.Result}");
        return folder;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(BuiltCli.Dll)!); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "infra", "make-dev-certs.sh"))) return dir.FullName;
        throw new InvalidOperationException("infra/make-dev-certs.sh not found above the built CLI");
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }
}
