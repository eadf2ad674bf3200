using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Messaging;

namespace ScaleSweep.Hosting;

/// <summary>
/// Tells a TLS refusal from a failover. When a client cannot connect, Orleans reports a connection that failed either
/// way; the probe asks each gateway directly: does it speak TLS to a plain client, does it take this client's
/// certificate, does this client take its certificate. A gateway that is down or unreachable is no refusal.
/// </summary>
internal static class GatewayProbe
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);

    /// <summary>Why the cluster's gateways refuse this client, or null when none does (retry as a failover).</summary>
    public static async Task<string?> RefusalAsync(IServiceProvider services, ClusterTls? tls, CancellationToken ct)
    {
        if (services.GetService<IGatewayListProvider>() is not { } provider) return null;
        IList<Uri> gateways;
        try
        {
            gateways = await provider.GetGateways();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
        foreach (var gateway in gateways)
        {
            if (!IPAddress.TryParse(gateway.Host, out var address)) continue;
            if (await RefusalAsync(new IPEndPoint(address, gateway.Port), tls, ct) is { } why) return why;
        }
        return null;
    }

    private static async Task<string?> RefusalAsync(IPEndPoint gateway, ClusterTls? tls, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Patience);
        using var tcp = new TcpClient(gateway.AddressFamily);
        try
        {
            await tcp.ConnectAsync(gateway, timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
        string? serverRefused = null;
        var presented = false;
        await using var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
        {
            presented = certificate is not null;
            if (tls is null || certificate is null) return true;
            using var copy = new X509Certificate2(certificate);
            serverRefused = tls.Rejects(copy);
            return serverRefused is null;
        });
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = gateway.Address.ToString(),
            ClientCertificates = tls is null ? null : [tls.Certificate],
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        try
        {
            await ssl.AuthenticateAsClientAsync(options, timeout.Token);
            if (tls is null) return RequiresTls(gateway);
            // TLS 1.3 finishes the client's side of the handshake before the server has judged the client's
            // certificate: a refusal arrives as an alert on the first read. An accepted client hears nothing (the
            // gateway waits for its preamble) until the probe gives up.
            var buffer = new byte[1];
            timeout.CancelAfter(Patience);
            var read = await ssl.ReadAsync(buffer, timeout.Token);
            return read == 0 ? ClientRefused(gateway, tls) : null;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            if (tls is null) return presented ? RequiresTls(gateway) : null;
            return serverRefused is not null
                ? $"TLS: the gateway at {gateway} presented a certificate this client refuses: {serverRefused}"
                : ClientRefused(gateway, tls);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return tls is null && presented ? RequiresTls(gateway) : null;
        }
    }

    private static string RequiresTls(IPEndPoint gateway) =>
        $"TLS: the gateway at {gateway} requires TLS: give --tls-cert/--tls-key (or --tls-pfx) and --tls-ca";

    private static string ClientRefused(IPEndPoint gateway, ClusterTls tls) =>
        $"TLS: the gateway at {gateway} refused this client's certificate '{tls.Certificate.Subject}' (not signed by the cluster's CA)";
}
