using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Hangar.ObjectStore.Http;

/// <summary>
/// Response XML is built with a StringBuilder: the documents are flat and a listing of 1,000 keys
/// this way costs far less than XmlWriter.
/// </summary>
internal static class Xml
{
    public const string Header = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    public const string Ns = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

    public static StringBuilder Start(string root)
    {
        var sb = new StringBuilder(1024);
        sb.Append(Header).Append('<').Append(root).Append(Ns).Append('>');
        return sb;
    }

    public static StringBuilder Element(this StringBuilder sb, string name, string? value)
    {
        if (value is null)
        {
            return sb;
        }
        sb.Append('<').Append(name).Append('>');
        Escape(sb, value);
        return sb.Append("</").Append(name).Append('>');
    }

    public static StringBuilder Element(this StringBuilder sb, string name, long value) =>
        sb.Append('<').Append(name).Append('>').Append(value.ToString(CultureInfo.InvariantCulture)).Append("</").Append(name).Append('>');

    public static StringBuilder Element(this StringBuilder sb, string name, bool value) =>
        sb.Append('<').Append(name).Append('>').Append(value ? "true" : "false").Append("</").Append(name).Append('>');

    public static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static void Escape(StringBuilder sb, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&apos;"); break;
                case '\r': sb.Append("&#13;"); break;
                default:
                    if (c < 0x20 && c != '\n' && c != '\t')
                    {
                        sb.Append("&#").Append(((int)c).ToString(CultureInfo.InvariantCulture)).Append(';');
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
    }

    private static readonly System.Xml.XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = System.Xml.DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreWhitespace = false,
    };

    /// <summary>
    /// Parses a request body keeping whitespace-only text: a Delete request may name the key " ",
    /// which the default settings would drop as insignificant whitespace. No DTDs, so no entity expansion.
    /// </summary>
    public static System.Xml.Linq.XDocument? Load(Stream body)
    {
        try
        {
            using var reader = System.Xml.XmlReader.Create(body, ReaderSettings);
            return System.Xml.Linq.XDocument.Load(reader, System.Xml.Linq.LoadOptions.PreserveWhitespace);
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    public static Task WriteAsync(HttpContext context, StringBuilder sb, int status = 200)
    {
        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }
}
