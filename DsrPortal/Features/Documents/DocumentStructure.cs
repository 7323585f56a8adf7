using System.Buffers.Binary;
using System.Text;

namespace DsrPortal.Features.Documents;

/// <summary>
/// Beyond the first bytes, a document must be what it says it is. PNG and JPEG files are rebuilt from the
/// parts an image needs (PNG: header, palette, transparency, image data; JPEG: everything but comments and
/// application segments other than JFIF and Adobe), which drops hidden text, EXIF location data and anything
/// appended after the image's end; a file that does not parse is refused. A PDF is refused when it carries
/// script, launch actions or embedded files, or has anything after its last end-of-file marker.
/// </summary>
internal static class DocumentStructure
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly string[] KeptPngChunks = ["IHDR", "PLTE", "tRNS", "IDAT", "IEND"];
    private static readonly string[] ActivePdfContent = ["/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/RichMedia", "/XFA", "/AA"];

    /// <returns>The bytes to keep (rebuilt for images, unchanged for a PDF), or null when the file does not parse or is refused.</returns>
    public static byte[]? Clean(byte[] content, string contentType) => contentType switch
    {
        "image/png" => Png(content),
        "image/jpeg" => Jpeg(content),
        "application/pdf" => Pdf(content),
        _ => null,
    };

    private static byte[]? Png(byte[] content)
    {
        using var output = new MemoryStream(content.Length);
        output.Write(PngSignature);
        var offset = PngSignature.Length;
        var first = true;
        while (offset + 12 <= content.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(content.AsSpan(offset));
            if (length > int.MaxValue || offset + 12 + (long)length > content.Length)
            {
                return null;
            }

            var type = Encoding.ASCII.GetString(content, offset + 4, 4);
            var chunk = content.AsSpan(offset + 4, 4 + (int)length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(content.AsSpan(offset + 8 + (int)length));
            if (!type.All(char.IsAsciiLetter) || Crc32(chunk) != crc || (first && type != "IHDR"))
            {
                return null;
            }

            first = false;
            var whole = content.AsSpan(offset, 12 + (int)length);
            if (KeptPngChunks.Contains(type))
            {
                output.Write(whole);
            }
            else if (char.IsAsciiLetterUpper(type[0]))
            {
                // An unknown critical chunk: a decoder would refuse the image, so does the portal.
                return null;
            }

            offset += 12 + (int)length;
            if (type == "IEND")
            {
                // Nothing may follow the end: that is where polyglot scripts hide.
                return offset == content.Length ? output.ToArray() : null;
            }
        }

        return null;
    }

    private static byte[]? Jpeg(byte[] content)
    {
        if (content.Length < 4 || content[0] != 0xFF || content[1] != 0xD8)
        {
            return null;
        }

        using var output = new MemoryStream(content.Length);
        output.Write([0xFF, 0xD8]);
        var offset = 2;
        while (offset + 2 <= content.Length)
        {
            if (content[offset] != 0xFF)
            {
                return null;
            }

            var marker = content[offset + 1];
            if (marker == 0xD9)
            {
                output.Write([0xFF, 0xD9]);
                return offset + 2 == content.Length ? output.ToArray() : null;
            }

            if (offset + 4 > content.Length)
            {
                return null;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(content.AsSpan(offset + 2));
            if (length < 2 || offset + 2 + length > content.Length)
            {
                return null;
            }

            var segment = content.AsSpan(offset, 2 + length);
            var application = marker is >= 0xE0 and <= 0xEF;
            if (!(application && marker is not (0xE0 or 0xEE)) && marker != 0xFE)
            {
                output.Write(segment);
            }

            offset += 2 + length;
            if (marker == 0xDA)
            {
                // Entropy-coded data runs to the next marker that is neither a stuffed zero nor a restart.
                var start = offset;
                while (offset + 1 < content.Length && !(content[offset] == 0xFF && content[offset + 1] is not (0x00 or (>= 0xD0 and <= 0xD7))))
                {
                    offset++;
                }

                if (offset + 1 >= content.Length)
                {
                    return null;
                }

                output.Write(content.AsSpan(start, offset - start));
            }
        }

        return null;
    }

    private static byte[]? Pdf(byte[] content)
    {
        var text = Encoding.Latin1.GetString(content);
        var end = text.LastIndexOf("%%EOF", StringComparison.Ordinal);
        if (end < 0 || text[(end + 5)..].Any(c => !char.IsWhiteSpace(c)))
        {
            return null;
        }

        return ActivePdfContent.Any(name => ContainsName(text, name)) ? null : content;
    }

    private static readonly uint[] CrcTable = [.. Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++)
        {
            c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }

        return c;
    })];

    /// <summary>The CRC-32 PNG chunks carry (ISO 3309), over the chunk's type and data.</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    /// <summary>A PDF name such as /JS, but not the start of a longer one such as /JSON.</summary>
    private static bool ContainsName(string text, string name)
    {
        for (var i = text.IndexOf(name, StringComparison.Ordinal); i >= 0; i = text.IndexOf(name, i + 1, StringComparison.Ordinal))
        {
            var after = i + name.Length;
            if (after >= text.Length || !char.IsAsciiLetterOrDigit(text[after]))
            {
                return true;
            }
        }

        return false;
    }
}
