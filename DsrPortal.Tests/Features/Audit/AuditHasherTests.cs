using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DsrPortal.Features.Audit;

namespace DsrPortal.Tests.Features.Audit;

/// <summary>
/// The canonical form every trail ever written was hashed with, written out plainly: the fields joined by line feeds,
/// UTF-8, SHA-256, lower-case hex. The hasher's allocation-free form must give the same hash, or old trails would break.
/// </summary>
public sealed class AuditHasherTests
{
    public static TheoryData<string?, string?, string> Events => new()
    {
        { null, null, "{}" },
        { "0f8fad5b-d9cb-469f-a165-70867728950e", "3b1f0c2a9d4e5f60718293a4b5c6d7e8", """{"from":"Open","to":"InProgress"}""" },
        { "7c9e6679-7425-40de-944b-e07fc1f90ae7", null, """{"note":"更正：昵称","reason":"ThirdPartyRights"}""" },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void The_hash_is_SHA_256_of_the_fields_joined_by_line_feeds(string? requestId, string? pseudonym, string details)
    {
        var previous = Convert.ToHexStringLower(SHA256.HashData("previous"u8));
        var at = new DateTimeOffset(2026, 12, 3, 17, 5, 9, 123, TimeSpan.FromHours(8));
        Guid? request = requestId is null ? null : Guid.Parse(requestId);
        var canonical = string.Join('\n', previous, "1234567", "2026-12-03T09:05:09.123Z", "user-42", "Agent", "request.status-changed",
            requestId ?? "", pseudonym ?? "", details);

        var hash = AuditHasher.Compute(previous, 1234567, at, "user-42", "Agent", "request.status-changed", request, pseudonym, details);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), hash);
        Assert.Equal(64, hash.Length);
    }
}
