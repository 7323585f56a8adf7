using System.Security.Cryptography;
using System.Text;
using DsrPortal.Features.DataSources.Sql;
using DsrPortal.Features.Settings;
using Microsoft.Extensions.Options;

namespace DsrPortal.Features.DataSources;

/// <summary>
/// Keyed hashes that replace identifying values which must stay linkable (retained records). Without
/// the key a pseudonym cannot be traced back by hashing candidate phone numbers. The key comes from
/// <c>DataSources:PseudonymKey</c>, or is generated once and kept encrypted in the portal database.
/// </summary>
internal sealed class Pseudonymizer(IOptions<DataSourcesOptions> options, PortalSecrets secrets)
{
    public async Task<string> ForAsync(string value, CancellationToken cancellationToken)
    {
        var key = options.Value.PseudonymKey is { Length: > 0 } configured
            ? Encoding.UTF8.GetBytes(configured)
            : await secrets.KeyAsync(SecretKey.Pseudonyms, cancellationToken);
        var hash = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(value));
        return "psn-" + Convert.ToHexStringLower(hash, 0, 16);
    }
}
