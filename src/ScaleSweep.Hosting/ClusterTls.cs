using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace ScaleSweep.Hosting;

/// <summary>
/// Mutual TLS for silo-to-silo and client-to-gateway connections: this process's certificate and the cluster's CA.
/// A peer is accepted only when its certificate chains to that CA alone (the system store is never consulted), so
/// any certificate the CA signed is a member of the cluster and nothing else is. Host names are not checked: silos
/// are reached by the addresses they advertise, which change with every pod.
/// </summary>
public sealed class ClusterTls
{
    /// <summary>Password of a <c>--tls-pfx</c> file (kept out of the command line).</summary>
    public const string PfxPasswordVariable = "SCALESWEEP_TLS_PFX_PASSWORD";

    private readonly X509Certificate2Collection _authority;

    private ClusterTls(X509Certificate2 certificate, X509Certificate2Collection authority)
    {
        Certificate = certificate;
        _authority = authority;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>Peers refused since start, with why (the silo logs them; a client names the last one when it gives up).</summary>
    public TlsRefusals Refusals { get; } = new();

    /// <summary>
    /// Loads a PEM certificate and key, or a PKCS#12 file, and the CA's PEM certificate(s).
    /// Throws <see cref="ArgumentException"/> naming the flag for a missing or unreadable file.
    /// </summary>
    public static ClusterTls Load(string? certFile, string? keyFile, string? pfxFile, string? pfxPassword, string caFile)
    {
        var authority = new X509Certificate2Collection();
        try
        {
            authority.ImportFromPemFile(Existing(caFile, "--tls-ca"));
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException($"--tls-ca: '{caFile}' holds no PEM certificate ({ex.Message})");
        }
        if (authority.Count == 0) throw new ArgumentException($"--tls-ca: '{caFile}' holds no PEM certificate");
        X509Certificate2 certificate;
        if (pfxFile is not null)
        {
            try
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(Existing(pfxFile, "--tls-pfx"), pfxPassword);
            }
            catch (CryptographicException ex)
            {
                throw new ArgumentException($"--tls-pfx: cannot read '{pfxFile}' (wrong ${PfxPasswordVariable}?): {ex.Message}");
            }
        }
        else
        {
            try
            {
                using var pem = X509Certificate2.CreateFromPemFile(Existing(certFile!, "--tls-cert"), Existing(keyFile!, "--tls-key"));
                // Re-imported so the private key is usable by SslStream on every platform (PEM keys are ephemeral).
                certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            }
            catch (CryptographicException ex)
            {
                throw new ArgumentException($"--tls-cert/--tls-key: cannot read '{certFile}' with '{keyFile}': {ex.Message}");
            }
        }
        if (!certificate.HasPrivateKey) throw new ArgumentException("--tls-cert: the certificate comes without its private key");
        var tls = new ClusterTls(certificate, authority);
        if (tls.Rejects(certificate) is { } why) throw new ArgumentException($"--tls-cert: this process's own certificate is not accepted by --tls-ca: {why}");
        return tls;
    }

    /// <summary>Why <paramref name="certificate"/> is refused, or null when it chains to the CA.</summary>
    public string? Rejects(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain.Build(certificate)) return null;
        var status = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        return $"'{certificate.Subject}' is not signed by the cluster CA ({(status.Length == 0 ? "untrusted chain" : status)})";
    }

    /// <summary>TLS options for Orleans: this certificate, a certificate required from every peer, the CA check.</summary>
    public void Configure(TlsOptions options)
    {
        options.LocalCertificate = Certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.CheckCertificateRevocation = false;
        // The platform's verdict (built against the system store, with a host name) is replaced by the CA check.
        options.RemoteCertificateValidation = (certificate, _, _) =>
        {
            if (Rejects(certificate) is not { } why) return true;
            Refusals.Record(why);
            return false;
        };
    }

    /// <summary>True for a TLS handshake that failed (a certificate refused by either side): not a failover.</summary>
    public static bool IsRefusal(Exception error) => error switch
    {
        AuthenticationException or ClusterAccessDeniedException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsRefusal),
        _ => error.InnerException is { } inner && IsRefusal(inner),
    };

    private static string Existing(string path, string flag) =>
        File.Exists(path) ? path : throw new ArgumentException($"{flag}: file '{path}' not found");
}

/// <summary>The latest peer certificates this process refused, with why.</summary>
public sealed class TlsRefusals
{
    private volatile string? _last;

    public event Action<string>? Refused;

    public string? Last => _last;

    public void Record(string why)
    {
        _last = why;
        Refused?.Invoke(why);
    }
}
