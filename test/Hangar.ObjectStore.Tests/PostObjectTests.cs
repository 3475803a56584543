using System.Net;
using System.Text;
using Amazon.S3.Model;

namespace Hangar.ObjectStore.Tests;

/// <summary>
/// Browser uploads (POST Object) against the real server: boto3's presigned POST posted with curl, the JavaScript
/// SDK's createPresignedPost posted with fetch, and the .NET SDK's CreatePresignedPost submitted by headless
/// Chromium from an HTML form — the path web apps use.
/// </summary>
public sealed class PostObjectTests(S3Fixture fx) : IClassFixture<S3Fixture>
{
    [Fact]
    public async Task Boto3_PresignedPost_WithCurl_UploadsAndRefusesEachPolicyViolation()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Scripts", "boto3_post.py");
        var (code, output) = await ExternalClientTests.RunAsync("/usr/bin/python3", script, ExternalClientTests.Env(fx, ""), TimeSpan.FromSeconds(120));
        Assert.True(code == 0, output);
        Assert.EndsWith("OK", output.Trim());
    }

    [Fact]
    public async Task JavaScriptSdk_CreatePresignedPost_WithFetch()
    {
        var modules = Path.Combine(RepoRoot(), ".build", "node-s3-post", "node_modules");
        Assert.True(Directory.Exists(Path.Combine(modules, "@aws-sdk", "s3-presigned-post")), $"{modules} is missing: run scripts/install-deps.sh --test");
        var env = ExternalClientTests.Env(fx, "");
        env["NODE_S3_POST_MODULES"] = modules;
        // The SDK warns on stderr about the Node version's support window, which is not what this test is about.
        env["NODE_NO_WARNINGS"] = "1";
        var script = Path.Combine(AppContext.BaseDirectory, "Scripts", "node_post.cjs");
        var (code, output) = await ExternalClientTests.RunAsync("/usr/bin/node", script, env, TimeSpan.FromSeconds(120));
        Assert.True(code == 0, output);
        Assert.EndsWith("OK", output.Trim());
    }

    [Fact]
    public async Task HeadlessChromium_SubmitsAnHtmlForm_AndFetchesAcrossOrigins()
    {
        using var s3 = fx.Client();
        var bucket = "browser-" + Guid.NewGuid().ToString("N")[..10];
        await s3.PutBucketAsync(bucket);
        // A page opened from a file has the origin "null"; a web app's page would name its own.
        await s3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
        {
            BucketName = bucket,
            Configuration = new CORSConfiguration
            {
                Rules = [new CORSRule { AllowedOrigins = ["*"], AllowedMethods = ["POST"], AllowedHeaders = ["*"], ExposeHeaders = ["ETag"] }],
            },
        });
        var dir = Directory.CreateTempSubdirectory("hangar-chromium-");
        try
        {
            var form = await PresignAsync(s3, bucket, "browser/${filename}", DateTime.UtcNow.AddMinutes(5));
            var dom = await ChromiumAsync(dir.FullName, "form.html", FormPage(form, "photo.txt", "bytes from chromium", useFetch: false));
            Assert.Contains("browser/photo.txt", dom, StringComparison.Ordinal);
            using (var got = await s3.GetObjectAsync(bucket, "browser/photo.txt"))
            using (var reader = new StreamReader(got.ResponseStream))
            {
                Assert.Equal("bytes from chromium", await reader.ReadToEndAsync());
            }

            var fetched = await ChromiumAsync(dir.FullName, "fetch.html", FormPage(form, "fetched.txt", "bytes by fetch", useFetch: true));
            Assert.Contains("status=201", fetched, StringComparison.Ordinal);
            Assert.Contains("etag=\"", fetched, StringComparison.Ordinal); // readable only through the CORS rule's ExposeHeaders

            var expired = await PresignAsync(s3, bucket, "browser/${filename}", DateTime.UtcNow.AddMinutes(-1));
            var refused = await ChromiumAsync(dir.FullName, "expired.html", FormPage(expired, "late.txt", "too late", useFetch: false));
            Assert.Contains("Policy expired", refused, StringComparison.Ordinal);
            var error = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => s3.GetObjectMetadataAsync(bucket, "browser/late.txt"));
            Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task StalledForm_AnswersRequestTimeout_InsteadOfHoldingTheRequest()
    {
        using var s3 = fx.Client();
        var bucket = "stall-" + Guid.NewGuid().ToString("N")[..10];
        await s3.PutBucketAsync(bucket);
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(fx.Http.Host, fx.Http.Port);
        var stream = tcp.GetStream();
        // The fields begin, the promised rest never comes: the idle timeout (3 s in the fixture) must end it.
        var head = $"POST /{bucket} HTTP/1.1\r\nHost: {fx.Http.Authority}\r\nContent-Type: multipart/form-data; boundary=XyZ\r\n"
            + "Content-Length: 100000\r\n\r\n--XyZ\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nhalf-a-val";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[4096];
        var answer = new StringBuilder();
        int n;
        while (!answer.ToString().Contains("</Error>", StringComparison.Ordinal) && (n = await stream.ReadAsync(buffer, deadline.Token)) > 0)
        {
            answer.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        Assert.StartsWith("HTTP/1.1 400", answer.ToString(), StringComparison.Ordinal);
        Assert.Contains("<Code>RequestTimeout</Code>", answer.ToString(), StringComparison.Ordinal);
    }

    private static async Task<CreatePresignedPostResponse> PresignAsync(Amazon.S3.AmazonS3Client s3, string bucket, string key, DateTime expires)
    {
        var request = new CreatePresignedPostRequest { BucketName = bucket, Key = key, Expires = expires };
        request.Fields["success_action_status"] = "201";
        request.Conditions.Add(S3PostCondition.ExactMatch("success_action_status", "201"));
        request.Conditions.Add(S3PostCondition.ContentLengthRange(1, 1024 * 1024));
        request.Conditions.Add(S3PostCondition.StartsWith("key", "browser/"));
        return await s3.CreatePresignedPostAsync(request);
    }

    /// <summary>
    /// An upload form as a web app renders it. A page cannot fill a file input from a disk path, so the script
    /// hands it a File through DataTransfer, then submits the form itself (or posts its FormData with fetch).
    /// </summary>
    private static string FormPage(CreatePresignedPostResponse post, string fileName, string content, bool useFetch)
    {
        var sb = new StringBuilder("<!DOCTYPE html><html><body>");
        sb.Append("<form id=\"f\" method=\"post\" enctype=\"multipart/form-data\" action=\"").Append(WebUtility.HtmlEncode(post.Url)).Append("\">");
        foreach (var (name, value) in post.Fields)
        {
            sb.Append("<input type=\"hidden\" name=\"").Append(WebUtility.HtmlEncode(name)).Append("\" value=\"").Append(WebUtility.HtmlEncode(value)).Append("\">");
        }
        sb.Append("<input type=\"file\" name=\"file\" id=\"file\"></form><pre id=\"out\"></pre><script>");
        sb.Append("const f = document.getElementById('f'); const dt = new DataTransfer();");
        sb.Append("dt.items.add(new File([").Append(System.Text.Json.JsonSerializer.Serialize(content)).Append("], ")
            .Append(System.Text.Json.JsonSerializer.Serialize(fileName)).Append(", { type: 'text/plain' }));");
        sb.Append("document.getElementById('file').files = dt.files;");
        sb.Append(useFetch
            ? "fetch(f.action, { method: 'POST', body: new FormData(f) }).then(async r => { document.getElementById('out').textContent = 'status=' + r.status + ' etag=' + r.headers.get('etag') + ' ' + await r.text(); }, e => { document.getElementById('out').textContent = 'failed ' + e; });"
            : "f.submit();");
        sb.Append("</script></body></html>");
        return sb.ToString();
    }

    private static async Task<string> ChromiumAsync(string dir, string page, string html)
    {
        var path = Path.Combine(dir, page);
        await File.WriteAllTextAsync(path, html);
        var profile = Path.Combine(dir, "profile-" + Path.GetFileNameWithoutExtension(page));
        // Virtual time lets the page's navigation or fetch finish before the DOM is dumped; root needs --no-sandbox.
        var args = $"--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --user-data-dir={profile} "
            + $"--virtual-time-budget=20000 --dump-dom file://{path}";
        var (code, output) = await ExternalClientTests.RunAsync("/usr/bin/chromium", args, [], TimeSpan.FromSeconds(90));
        Assert.True(code == 0, output);
        return output;
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Hangar.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Hangar.slnx not found above " + AppContext.BaseDirectory);
    }
}
