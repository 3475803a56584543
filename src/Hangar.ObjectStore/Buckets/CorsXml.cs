using System.Xml.Linq;

namespace Hangar.ObjectStore.Buckets;

internal static class CorsXml
{
    /// <summary>Parses a CORSConfiguration document; null when it is not one S3 would accept.</summary>
    public static CorsRule[]? Parse(string xml)
    {
        XDocument doc;
        try
        {
            doc = XDocument.Parse(xml);
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
        if (doc.Root is null || doc.Root.Name.LocalName != "CORSConfiguration")
        {
            return null;
        }
        var rules = new List<CorsRule>();
        foreach (var rule in doc.Root.Elements().Where(e => e.Name.LocalName == "CORSRule"))
        {
            string[] Values(string name) => rule.Elements().Where(e => e.Name.LocalName == name).Select(e => e.Value.Trim()).ToArray();
            var origins = Values("AllowedOrigin");
            var methods = Values("AllowedMethod");
            if (origins.Length == 0 || methods.Length == 0)
            {
                return null;
            }
            var maxAge = rule.Elements().FirstOrDefault(e => e.Name.LocalName == "MaxAgeSeconds")?.Value;
            rules.Add(new CorsRule(origins, methods, Values("AllowedHeader"), Values("ExposeHeader"),
                int.TryParse(maxAge, out var age) ? age : null));
        }
        return rules.Count == 0 ? null : rules.ToArray();
    }
}
