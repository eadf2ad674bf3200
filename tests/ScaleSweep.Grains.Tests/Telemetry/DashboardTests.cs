using System.Net;
using Microsoft.Extensions.Logging;
using ScaleSweep.Hosting;

namespace ScaleSweep.Grains.Tests.Telemetry;

/// <summary>The Orleans dashboard served by a silo given a dashboard port.</summary>
public class DashboardTests
{
    [Fact]
    public async Task A_silo_with_a_dashboard_port_serves_the_dashboard_over_http_on_loopback()
    {
        var port = FreePorts.Next();
        var root = Path.Combine(Path.GetTempPath(), "scalesweep-dashboard-" + Guid.NewGuid().ToString("N")[..8]);
        var options = new SiloHostOptions { ResultsRoot = root, Slots = 1, DashboardPort = port };
        await using (var cluster = await EmbeddedCluster.StartAsync(1, options, null, LogLevel.Error, CancellationToken.None))
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            var page = await http.GetAsync($"http://127.0.0.1:{port}/");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
            // The API behind the page answers from the cluster (the dashboard grain runs in the silo).
            var counters = await http.GetAsync($"http://127.0.0.1:{port}/DashboardCounters");
            Assert.Equal(HttpStatusCode.OK, counters.StatusCode);
        }
        try { Directory.Delete(root, recursive: true); }
        catch (IOException) { }
    }
}
