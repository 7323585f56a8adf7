using System.Text;
using DsrPortal.Features.Documents;
using DsrPortal.Tests.Infrastructure;

namespace DsrPortal.Tests.Features.Documents;

/// <summary>Uploads must parse as what they claim: polyglots are refused, images are rebuilt without hidden extras.</summary>
public sealed class DocumentCheckTests
{
    [Fact]
    public void Real_small_documents_pass_unchanged()
    {
        Assert.Equal(SampleDocuments.Png, DocumentCheck.Clean(SampleDocuments.Png, out var png, out _));
        Assert.Equal("image/png", png);
        Assert.Equal(SampleDocuments.Pdf, DocumentCheck.Clean(SampleDocuments.Pdf, out var pdf, out _));
        Assert.Equal("application/pdf", pdf);
    }

    [Fact]
    public void A_png_header_followed_by_script_or_a_broken_chunk_is_refused()
    {
        Assert.Null(DocumentCheck.Clean([.. SampleDocuments.Png, .. "<script>alert(1)</script>"u8.ToArray()], out _, out var appended));
        Assert.Equal(DocumentProblem.Malformed, appended);
        Assert.Null(DocumentCheck.Clean([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. "<html><script>alert(1)</script></html>"u8.ToArray()], out _, out var headerOnly));
        Assert.Equal(DocumentProblem.Malformed, headerOnly);
        var corrupted = SampleDocuments.Png.ToArray();
        corrupted[20] ^= 0xFF;
        Assert.Null(DocumentCheck.Clean(corrupted, out _, out _));
    }

    [Fact]
    public void Text_hidden_in_a_png_chunk_is_dropped_by_rebuilding_the_image()
    {
        var withText = InsertChunk(SampleDocuments.Png, "tEXt", "Comment\0<script>alert(1)</script>"u8.ToArray());
        var clean = DocumentCheck.Clean(withText, out var type, out _);
        Assert.Equal("image/png", type);
        Assert.Equal(SampleDocuments.Png, clean);
    }

    [Fact]
    public void A_jpeg_loses_comments_and_exif_and_nothing_may_follow_its_end()
    {
        byte[] jfif = [0xFF, 0xE0, 0x00, 0x10, .. "JFIF\0"u8.ToArray(), 1, 1, 0, 0, 1, 0, 1, 0, 0];
        byte[] exif = [0xFF, 0xE1, 0x00, 0x0A, .. "Exif\0\0GPS"u8.ToArray()[..6], 0, 0];
        byte[] comment = [0xFF, 0xFE, 0x00, 0x0A, .. "<script>"u8.ToArray()];
        byte[] scan = [0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 0x3F, 0, 0x12, 0x34, 0xFF, 0x00, 0x56];
        byte[] jpeg = [0xFF, 0xD8, .. jfif, .. exif, .. comment, .. scan, 0xFF, 0xD9];

        var clean = DocumentCheck.Clean(jpeg, out var type, out _);
        Assert.Equal("image/jpeg", type);
        Assert.Equal([0xFF, 0xD8, .. jfif, .. scan, 0xFF, 0xD9], clean);
        Assert.Null(DocumentCheck.Clean([.. jpeg, .. "<script>"u8.ToArray()], out _, out _));
    }

    [Theory]
    [InlineData("%PDF-1.7\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n")]
    [InlineData("%PDF-1.7\n1 0 obj << /Type /Action /S /Launch /F (cmd.exe) >> endobj\n%%EOF\n")]
    [InlineData("%PDF-1.7\n1 0 obj << /Type /EmbeddedFile >> stream\nMZ\nendstream endobj\n%%EOF\n")]
    [InlineData("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n<html><script>alert(1)</script></html>")]
    [InlineData("%PDF-1.7\nno end of file marker")]
    public void A_pdf_with_script_a_launch_action_an_embedded_file_or_content_after_its_end_is_refused(string pdf)
    {
        Assert.Null(DocumentCheck.Clean(Encoding.Latin1.GetBytes(pdf), out _, out var problem));
        Assert.Equal(DocumentProblem.Malformed, problem);
    }

    private static byte[] InsertChunk(byte[] png, string type, byte[] data)
    {
        var typeBytes = Encoding.ASCII.GetBytes(type);
        var crc = Crc32([.. typeBytes, .. data]);
        byte[] chunk = [.. BigEndian((uint)data.Length), .. typeBytes, .. data, .. BigEndian(crc)];
        // After IHDR (8 signature + 25 for the IHDR chunk).
        return [.. png[..33], .. chunk, .. png[33..]];
    }

    private static byte[] BigEndian(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return crc ^ 0xFFFFFFFFu;
    }
}
